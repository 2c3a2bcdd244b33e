import { awsFlags, SiteCommand } from '@site-cli/plugin-kit';
import { activeHttps } from '../../config.js';

export interface HttpsStatus {
  /** False when https.certificateArn is not set: the plugin then contributes nothing. */
  enabled: boolean;
  url: string | null;
  listener: { port: number; certificateArn: string; sslPolicy: string; arn: string } | null;
  redirect: { fromPort: number; to: string; statusCode: string } | null;
  ingress: { groupId: string; rules: { ruleId: string; port: number; source: string }[] } | null;
}

export default class HttpsStatusCommand extends SiteCommand {
  static override summary = "Show the site's HTTPS listener, certificate, TLS policy and redirect.";
  static override description =
    'The HTTPS listener of the load balancer (port, certificate, security policy), whether port 80 redirects to it, and the rules opening its port. Reads AWS; changes nothing.';
  static override examples = ['<%= config.bin %> https status', '<%= config.bin %> https status --json'];
  static override flags = { ...awsFlags };

  async run(): Promise<HttpsStatus> {
    const { flags } = await this.parse(HttpsStatusCommand);
    const core = await this.siteCore();
    const session = await this.openSession(flags);
    try {
      if (!activeHttps(session.config)) {
        this.log('HTTPS is off: set https.certificateArn in the site config, then `site deploy`.');
        return { enabled: false, url: null, listener: null, redirect: null, ingress: null };
      }
      const outputs = await session.discover(['https.listener', 'https.redirect', 'https.ingress']);
      const lb = outputs.get('alb.load-balancer');
      const listener = outputs.get('https.listener');
      const redirect = outputs.get('https.redirect');
      const ingress = outputs.get('https.ingress');
      const result: HttpsStatus = {
        enabled: true,
        url:
          lb && listener ? `https://${lb.dnsName}${listener.port === 443 ? '' : `:${listener.port}`}/` : null,
        listener: listener
          ? {
              port: listener.port,
              certificateArn: listener.certificateArn,
              sslPolicy: listener.sslPolicy,
              arn: listener.listenerArn,
            }
          : null,
        redirect: redirect
          ? {
              fromPort: redirect.fromPort,
              to: `${redirect.protocol}:${redirect.port}`,
              statusCode: redirect.statusCode,
            }
          : null,
        ingress: ingress ?? null,
      };
      this.log(
        core.table([
          {
            listener: listener ? `HTTPS:${listener.port}` : 'absent',
            certificate: listener?.certificateArn ?? '-',
            policy: listener?.sslPolicy ?? '-',
            redirect: redirect
              ? `HTTP:${redirect.fromPort} → ${redirect.protocol}:${redirect.port} (${redirect.statusCode.replace('HTTP_', '')})`
              : 'off',
            ingress: ingress
              ? [...new Set(ingress.rules.map((r) => `tcp/${r.port}`))].join(', ') + ' open'
              : 'closed',
          },
        ]),
      );
      if (!listener) this.log('\nNo HTTPS listener yet: run `site deploy`.');
      else if (result.url)
        this.log(`\nURL: ${result.url} (use your own domain name: the certificate is for it)`);
      return result;
    } finally {
      await session.close();
    }
  }
}
