/**
 * The outputs of this plugin's resources, declared in site's registry (ResourceOutputs in @site-cli/core/plugin),
 * and the declarations of the built-in plugins' outputs it reads: types only, erased at build time.
 */
import type {} from '@site-cli/plugin-alb/outputs';
import type {} from '@site-cli/plugin-network/outputs';

/** domain.zone: the public hosted zone the names live in (looked up, never created or deleted). */
export interface ZoneOutput {
  zoneId: string;
  zoneName: string;
}

/** One DNS record as Route 53 holds it (CNAME for validation). */
export interface DnsRecord {
  name: string;
  type: string;
  value: string;
}

/** domain.certificate */
export interface CertificateOutput {
  certificateArn: string;
  domainName: string;
  /** Every name it covers, the domain name first. */
  names: string[];
  /** PENDING_VALIDATION, ISSUED, … (ACM's CertificateStatus). */
  status: string;
  /** ISO 8601, once issued. */
  notAfter?: string;
  /** The CNAMEs ACM asks for in DNS, one per distinct record (names under one domain may share one). */
  validationRecords: DnsRecord[];
  /** True for the one this site requested (tagged); false for domain.certificateArn, which site never deletes. */
  requestedBySite: boolean;
}

/** domain.validation-records: the certificate's CNAMEs in the zone, and the certificate's status after them. */
export interface ValidationRecordsOutput {
  zoneId: string;
  records: DnsRecord[];
  certificateStatus: string;
}

/** domain.ingress: the rules opening 443 on the load balancer's security group (IPv4, IPv6). */
export interface IngressOutput {
  groupId: string;
  rules: { ruleId: string; port: number; source: string }[];
}

/** domain.https-listener */
export interface HttpsListenerOutput {
  listenerArn: string;
  port: number;
  certificateArn: string;
  sslPolicy: string;
  targetGroupArn?: string;
}

/** domain.http-redirect: the rules on alb.listener (port 80) sending the site's names to HTTPS with a 301. */
export interface HttpRedirectOutput {
  listenerArn: string;
  rules: { ruleArn: string; priority: string; hosts: string[] }[];
}

/** One alias record of the site. */
export interface AliasRecord {
  name: string;
  type: 'A' | 'AAAA';
  /** The alias target's DNS name and hosted zone, as Route 53 holds them. */
  target: string;
  targetZoneId: string;
  evaluateTargetHealth: boolean;
}

/** domain.records: the alias records for the name and aliases, and the ownership marker. */
export interface RecordsOutput {
  zoneId: string;
  records: AliasRecord[];
  /** The TXT records `_site-owner.<host>` that say these records are this site's. */
  markers: DnsRecord[];
}

/** domain.site-https: the final check, `https://<name>/` and the redirect from `http://`. */
export interface SiteHttpsOutput {
  url: string;
  /** `title`: the page's <title>, to tell the site's page from an error page. */
  https: { status?: number; title?: string; error?: string; skipped?: string };
  http: { status?: number; location?: string; error?: string; skipped?: string };
}

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'domain.zone': ZoneOutput;
    'domain.certificate': CertificateOutput;
    'domain.validation-records': ValidationRecordsOutput;
    'domain.ingress': IngressOutput;
    'domain.https-listener': HttpsListenerOutput;
    'domain.http-redirect': HttpRedirectOutput;
    'domain.records': RecordsOutput;
    'domain.site-https': SiteHttpsOutput;
  }
}
