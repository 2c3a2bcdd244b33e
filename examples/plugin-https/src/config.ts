import type { PluginApi, ResourceContext, SiteConfig } from '@site-cli/core/plugin';

/** The configuration key this plugin owns: `https:` in the site config. */
export const CONFIG_KEY = 'https';

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** An ACM certificate (regional) or an IAM server certificate: the two kinds an ALB listener takes. */
const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:certificate\/[A-Za-z0-9-]+$/;
const IAM_ARN = /^arn:aws[a-z-]*:iam::\d{12}:server-certificate\/[\w+=,.@/-]+$/;

/**
 * The `https` section, built with the core's zod (`runtime.z`): the plugin ships no zod of its own.
 * Everything is optional, so a site without `https:` validates; HTTPS is on once certificateArn is set.
 */
export function httpsSchema(z: PluginApi['z']) {
  return z
    .strictObject({
      certificateArn: z
        .string()
        .refine((arn) => ACM_ARN.test(arn) || IAM_ARN.test(arn), {
          message:
            'an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id> (or an IAM server certificate ARN)',
        })
        .optional()
        .describe('The certificate the HTTPS listener presents. Setting it turns HTTPS on.'),
      sslPolicy: z
        .string()
        .regex(
          /^ELBSecurityPolicy-[A-Za-z0-9-]+$/,
          'an ELB security policy name such as ELBSecurityPolicy-TLS13-1-2-2021-06',
        )
        .default(DEFAULT_SSL_POLICY)
        .describe('TLS protocols and ciphers the listener accepts (`aws elbv2 describe-ssl-policies`).'),
      port: z.number().int().min(1).max(65535).default(443).describe('The HTTPS listener port.'),
    })
    .describe('HTTPS on the load balancer (@site-cli/plugin-https).');
}

/** The parsed section: what `httpsSchema(z).parse` returns. */
export type HttpsConfig = ReturnType<ReturnType<typeof httpsSchema>['parse']>;

/** This plugin's section of a loaded configuration (the core fills in the defaults). */
export function httpsConfig(config: SiteConfig): HttpsConfig {
  return (config[CONFIG_KEY] ?? { sslPolicy: DEFAULT_SSL_POLICY, port: 443 }) as HttpsConfig;
}

/** The active settings, or undefined when HTTPS is off (no certificate configured). */
export function activeHttps(config: SiteConfig): (HttpsConfig & { certificateArn: string }) | undefined {
  const https = httpsConfig(config);
  return https.certificateArn ? { ...https, certificateArn: https.certificateArn } : undefined;
}

/**
 * What the schema cannot see because it spans sections: checked when the resources are first looked at
 * (plan, deploy, status), so bad settings stop the run before anything changes. Exit 2, like any config error.
 */
export function checkSettings(ctx: ResourceContext): HttpsConfig & { certificateArn: string } {
  const https = activeHttps(ctx.config);
  if (!https) throw ctx.error({ code: 'HTTPS_NOT_CONFIGURED', message: 'https.certificateArn is not set.' });
  // @site-cli/plugin-domain serves HTTPS on 443 itself: the two would fight over the load balancer's port.
  const domain = ctx.config.domain as { name?: string } | undefined;
  if (domain?.name) {
    throw ctx.error({
      code: 'HTTPS_DOMAIN_CONFLICT',
      message:
        'Both https.certificateArn (@site-cli/plugin-https) and domain (@site-cli/plugin-domain) want port 443 of the load balancer; one listener per port.',
      suggestions: [
        'Keep domain: it requests the certificate, adds the HTTPS listener and the redirect itself — remove the https section.',
        'Or keep https and remove the domain section (then no DNS records are made).',
      ],
      exitCode: 2,
      details: { key: 'https.certificateArn', value: https.certificateArn },
    });
  }
  if (https.port === ctx.config.alb.port) {
    throw ctx.error({
      code: 'HTTPS_PORT_CONFLICT',
      message: `https.port ${https.port} is also alb.port, the port of the site's HTTP listener; a load balancer has one listener per port.`,
      suggestions: ['Use another https.port (443 is the usual one), or change alb.port.'],
      exitCode: 2,
      details: { key: 'https.port', value: https.port },
    });
  }
  const region = ACM_ARN.exec(https.certificateArn)?.[1];
  if (region && region !== ctx.config.region) {
    throw ctx.error({
      code: 'HTTPS_CERTIFICATE_REGION',
      message: `https.certificateArn is an ACM certificate in ${region}, but the site is in ${ctx.config.region}: a load balancer can only use ACM certificates of its own region.`,
      suggestions: [
        `Request or import the certificate in ${ctx.config.region} (aws acm request-certificate --region ${ctx.config.region} …) and use its ARN.`,
      ],
      exitCode: 2,
      details: { key: 'https.certificateArn', value: https.certificateArn },
    });
  }
  return https;
}
