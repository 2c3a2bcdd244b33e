import type { SimContext } from '../context.js';
import { AwsError } from '../errors.js';
import { findLaunchTemplate, resolveVersion } from '../ec2/launch-templates.js';
import { validation } from './common.js';

/** The launch template a request names, checked as AWS does when a group or a refresh is given one. */
export function templateSpecOf(ctx: SimContext, spec: any): { id: string; version: string } {
  const { LaunchTemplateId: id, LaunchTemplateName: name, Version: version = '$Default' } = spec ?? {};
  if ((id && name) || (!id && !name))
    throw validation('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  try {
    const lt = findLaunchTemplate(ctx, id, name);
    resolveVersion(lt, version);
    return { id: lt.id, version };
  } catch (e) {
    if (e instanceof AwsError)
      throw validation(`You must use a valid fully-formed launch template. ${e.message}`);
    throw e;
  }
}
