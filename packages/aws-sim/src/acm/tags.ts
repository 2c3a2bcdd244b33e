import { AwsError } from '../errors.js';
import { toTagList } from '../filters.js';
import type { ActionDef } from '../service.js';
import { findCertificate } from './certificates.js';

/** ACM's quota of tags per certificate (ACM User Guide, Quotas). */
const TAGS_PER_CERTIFICATE = 50;

export const acmTagActions: Record<string, ActionDef> = {
  AddTagsToCertificate: {
    mutating: true,
    fn(ctx, input) {
      const cert = findCertificate(ctx, input.CertificateArn);
      const tags = (input.Tags ?? []) as { Key: string; Value?: string }[];
      if (tags.some((t) => t.Key.toLowerCase().startsWith('aws:')))
        throw new AwsError('InvalidTagException', "Tag keys beginning with 'aws:' are reserved for AWS use.");
      const keys = new Set([...Object.keys(ctx.tagsOf(cert.arn)), ...tags.map((t) => t.Key)]);
      if (keys.size > TAGS_PER_CERTIFICATE)
        throw new AwsError(
          'TooManyTagsException',
          `The request contains too many tags: a certificate can have at most ${TAGS_PER_CERTIFICATE}.`,
        );
      ctx.setTags(cert.arn, tags);
      return {};
    },
  },
  RemoveTagsFromCertificate: {
    mutating: true,
    fn(ctx, input) {
      const cert = findCertificate(ctx, input.CertificateArn);
      const tags = ctx.state.tags[cert.arn] ?? {};
      for (const t of (input.Tags ?? []) as { Key: string; Value?: string }[])
        if (t.Value === undefined || tags[t.Key] === t.Value) delete tags[t.Key];
      return {};
    },
  },
  ListTagsForCertificate: {
    mutating: false,
    fn(ctx, input) {
      const cert = findCertificate(ctx, input.CertificateArn);
      return { Tags: toTagList(ctx.tagsOf(cert.arn)) };
    },
  },
};
