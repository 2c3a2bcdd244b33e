import type { AwsSettings } from '../aws/clients.js';
import type { SiteConfig } from '../config/schema.js';
import type { SandboxHandle } from './core-session.js';

/** Where one run's AWS calls go: the sandbox the CLI started, or the account (its profile and endpoints). */
export interface AwsTarget {
  settings: AwsSettings;
  /** What the site's lock is keyed on: 'sandbox', the endpoint URL(s), or 'aws'. */
  lockTarget: string;
  /** An aws-sim whose /_sim/* routes the run may use, if there is one. */
  simulator?: { endpoint: string };
}

export function awsTarget(config: SiteConfig, env: NodeJS.ProcessEnv, sandbox?: SandboxHandle): AwsTarget {
  // Simulator routes (/_sim/*) go only to the sandbox, or to an aws-sim that tests and the benchmark drive
  // through --endpoint-url and name in SITE_SIMULATOR_ENDPOINT: never to an endpoint site merely guesses at.
  const simulatorEndpoint = sandbox?.endpoint ?? env.SITE_SIMULATOR_ENDPOINT;
  const simulator = simulatorEndpoint ? { endpoint: simulatorEndpoint } : undefined;
  if (sandbox) {
    const settings = { region: config.region, endpoint: sandbox.endpoint, credentials: sandbox.credentials };
    return { settings, lockTarget: 'sandbox', simulator };
  }
  const settings: AwsSettings = {
    region: config.region,
    profile: config.profile,
    endpoint: config.endpointUrl,
    ec2Endpoint: env.AWS_ENDPOINT_URL_EC2,
    elbv2Endpoint: env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2,
    stsEndpoint: env.AWS_ENDPOINT_URL_STS,
    pricingEndpoint: env.AWS_ENDPOINT_URL_PRICING,
    autoScalingEndpoint: env.AWS_ENDPOINT_URL_AUTO_SCALING,
  };
  const endpoints = new Set([
    settings.ec2Endpoint ?? settings.endpoint,
    settings.elbv2Endpoint ?? settings.endpoint,
  ]);
  const lockTarget = [...endpoints].map((endpoint) => endpoint ?? 'aws').join(' ');
  return { settings, lockTarget, simulator };
}
