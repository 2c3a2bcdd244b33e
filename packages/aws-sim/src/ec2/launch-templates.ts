// EC2 launch templates: named, versioned RunInstances parameters. AWS checks little when a template or version
// is made (its name, the version references); the data is checked when something launches from it, with
// RunInstances' own checks (see launchInput and the Auto Scaling engine).
import type { SimContext } from '../context.js';
import { err } from '../errors.js';
import { applyFilters, paginate } from '../filters.js';
import type { LaunchTemplateRec, LaunchTemplateVersionRec } from '../state.js';
import { type ActionDef, NO_CHANGE, dryRunCheck, tagSpecs, tagsOut } from './common.js';
import type { LaunchOutcome } from '../content/instance-content.js';
import { setupOutcomeFor } from './setup-outcome.js';

const NAME_RE = /^[a-zA-Z0-9().\-/_]{3,128}$/;

export function launchTemplates(ctx: SimContext): LaunchTemplateRec[] {
  return (ctx.state.launchTemplates ??= []);
}

function checkName(name: string): void {
  if (!NAME_RE.test(name))
    throw err(
      'InvalidLaunchTemplateName.MalformedException',
      'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
    );
}

/** The template named by id or by name (exactly one of them), as AWS looks it up. */
export function findLaunchTemplate(
  ctx: SimContext,
  id: string | undefined,
  name: string | undefined,
): LaunchTemplateRec {
  if (id && name)
    throw err(
      'InvalidParameterCombination',
      'The parameters launchTemplateName and launchTemplateId cannot be used together. Specify one or the other.',
    );
  if (id) {
    if (!/^lt-[0-9a-f]{17}$/.test(id))
      throw err(
        'InvalidLaunchTemplateId.Malformed',
        `The specified ID for the launch template (${id}) is not valid. The ID must be in the form lt-xxxxxxxxxxxxxxxxx.`,
      );
    const lt = launchTemplates(ctx).find((t) => t.id === id);
    if (!lt)
      throw err(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${id}, does not exist.`,
      );
    return lt;
  }
  if (name) {
    const lt = launchTemplates(ctx).find((t) => t.name === name);
    if (!lt)
      throw err(
        'InvalidLaunchTemplateName.NotFoundException',
        'At least one of the launch templates specified in the request does not exist.',
      );
    return lt;
  }
  throw err(
    'MissingParameter',
    'The request must contain the parameter launchTemplateName or launchTemplateId',
  );
}

/** A version reference ('$Latest', '$Default' or a number) resolved to the version, or VersionNotFound. */
export function resolveVersion(lt: LaunchTemplateRec, ref: string | undefined): LaunchTemplateVersionRec {
  const n =
    ref === undefined || ref === '$Default'
      ? lt.defaultVersion
      : ref === '$Latest'
        ? lt.latestVersion
        : /^\d+$/.test(ref)
          ? Number(ref)
          : NaN;
  const v = lt.versions.find((x) => x.number === n);
  if (!v)
    throw err(
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find the specified version ${ref} for the launch template with ID ${lt.id}.`,
    );
  return v;
}

/** A version's data as RunInstances input for one instance (what launching from the template sends). */
export function launchInput(v: LaunchTemplateVersionRec): Record<string, any> {
  const { TagSpecifications, ...data } = v.data;
  return { ...structuredClone(data), TagSpecifications: structuredClone(TagSpecifications ?? []) };
}

type TagSpec = { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] };

/** The tags AWS puts on an instance launched from a template. */
export function launchTemplateTags(lt: LaunchTemplateRec, v: LaunchTemplateVersionRec) {
  return [
    { Key: 'aws:ec2launchtemplate:id', Value: lt.id },
    { Key: 'aws:ec2launchtemplate:version', Value: String(v.number) },
  ];
}

/** Adds tags to a resource type's specification, the later ones winning on a shared key. */
export function addTags(specs: TagSpec[], resourceType: string, tags: TagSpec['Tags'] & object): TagSpec[] {
  const own = specs.find((s) => s.ResourceType === resourceType);
  if (!own) return [...specs, { ResourceType: resourceType, Tags: tags }];
  const keys = new Set(tags.map((t) => t.Key));
  own.Tags = [...(own.Tags ?? []).filter((t) => !keys.has(t.Key)), ...tags];
  return specs;
}

/**
 * RunInstances with `LaunchTemplate`: the version's data under the request's own parameters ("any parameters
 * that you specify in RunInstances override the same parameters in the launch template"), tags merged by key.
 */
export function withLaunchTemplate(
  ctx: SimContext,
  input: any,
): { request: any; version?: LaunchTemplateVersionRec } {
  const spec = input.LaunchTemplate;
  if (!spec) return { request: input };
  const lt = findLaunchTemplate(ctx, spec.LaunchTemplateId, spec.LaunchTemplateName);
  const version = resolveVersion(lt, spec.Version);
  const { LaunchTemplate: _spec, TagSpecifications: ownTags, ...own } = input;
  const base = launchInput(version);
  let specs: TagSpec[] = base.TagSpecifications;
  for (const s of (ownTags ?? []) as TagSpec[]) specs = addTags(specs, s.ResourceType ?? '', s.Tags ?? []);
  specs = addTags(specs, 'instance', launchTemplateTags(lt, version));
  return { request: { ...base, ...own, TagSpecifications: specs }, version };
}

function templateOut(ctx: SimContext, lt: LaunchTemplateRec) {
  return {
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    CreateTime: new Date(lt.createdAt),
    CreatedBy: `arn:aws:iam::${ctx.state.accountId}:user/sim`,
    DefaultVersionNumber: lt.defaultVersion,
    LatestVersionNumber: lt.latestVersion,
    Tags: tagsOut(ctx, lt.id),
  };
}

function versionOut(ctx: SimContext, lt: LaunchTemplateRec, v: LaunchTemplateVersionRec) {
  return {
    LaunchTemplateId: lt.id,
    LaunchTemplateName: lt.name,
    VersionNumber: v.number,
    VersionDescription: v.description,
    CreateTime: new Date(v.createdAt),
    CreatedBy: `arn:aws:iam::${ctx.state.accountId}:user/sim`,
    DefaultVersion: v.number === lt.defaultVersion,
    LaunchTemplateData: v.data,
  };
}

function checkData(data: any): void {
  if (!data || typeof data !== 'object')
    throw err('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
  if (data.UserData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(String(data.UserData).replace(/\s/g, '')))
    throw err('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');
  for (const s of data.TagSpecifications ?? [])
    if (
      s.ResourceType &&
      !['instance', 'volume', 'network-interface', 'spot-instances-request'].includes(s.ResourceType)
    )
      throw err(
        'InvalidParameterValue',
        `'${s.ResourceType}' is not a valid taggable resource type for this operation.`,
      );
}

/** The version's data: its source version's, overlaid with the request's (CreateLaunchTemplateVersion). */
function newVersion(
  ctx: SimContext,
  lt: LaunchTemplateRec,
  data: any,
  description: string | undefined,
  outcome: LaunchOutcome | undefined,
): LaunchTemplateVersionRec {
  const v: LaunchTemplateVersionRec = {
    number: lt.latestVersion + 1,
    description,
    data,
    createdAt: ctx.now(),
    ...(outcome === undefined ? {} : { outcome }),
  };
  lt.versions.push(v);
  lt.latestVersion = v.number;
  return v;
}

export const launchTemplateActions: Record<string, ActionDef> = {
  CreateLaunchTemplate: {
    mutating: true,
    // The user data is judged (its zip fetched) when the version is made, as the instances will find it.
    prepare: (input, content) =>
      input.DryRun ? Promise.resolve({}) : setupOutcomeFor(input.LaunchTemplateData?.UserData, content),
    fn(ctx, input, outcome) {
      const name: string = ctx.requireParam(input.LaunchTemplateName, 'LaunchTemplateName');
      checkName(name);
      checkData(input.LaunchTemplateData);
      const tags = tagSpecs(input, 'launch-template');
      if (launchTemplates(ctx).some((t) => t.name === name))
        throw err('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
      dryRunCheck(input);
      const lt: LaunchTemplateRec = {
        id: `lt-0${ctx.ids.rng.hex(16)}`,
        name,
        createdAt: ctx.now(),
        defaultVersion: 1,
        latestVersion: 0,
        versions: [],
      };
      newVersion(
        ctx,
        lt,
        input.LaunchTemplateData,
        input.VersionDescription,
        outcome as LaunchOutcome | undefined,
      );
      launchTemplates(ctx).push(lt);
      ctx.setTags(lt.id, tags);
      return { LaunchTemplate: templateOut(ctx, lt) };
    },
  },
  CreateLaunchTemplateVersion: {
    mutating: true,
    // The user data is judged (its zip fetched) when the version is made, as the instances will find it.
    prepare: (input, content) =>
      input.DryRun ? Promise.resolve({}) : setupOutcomeFor(input.LaunchTemplateData?.UserData, content),
    fn(ctx, input, outcome) {
      const lt = findLaunchTemplate(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
      checkData(input.LaunchTemplateData);
      // SourceVersion: the new version starts from that one's data, the request's parameters overriding it.
      const base = input.SourceVersion === undefined ? {} : resolveVersion(lt, input.SourceVersion).data;
      const data = { ...structuredClone(base), ...input.LaunchTemplateData };
      const inherited =
        input.LaunchTemplateData.UserData === undefined && input.SourceVersion !== undefined
          ? resolveVersion(lt, input.SourceVersion).outcome
          : (outcome as LaunchOutcome | undefined);
      dryRunCheck(input);
      const v = newVersion(ctx, lt, data, input.VersionDescription, inherited);
      return { LaunchTemplateVersion: versionOut(ctx, lt, v) };
    },
  },
  DescribeLaunchTemplates: {
    mutating: false,
    fn(ctx, input) {
      if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 200))
        throw err(
          'InvalidParameterValue',
          `Value ( ${input.MaxResults} ) for parameter maxResults is invalid.`,
        );
      const ids: string[] = input.LaunchTemplateIds ?? [];
      const names: string[] = input.LaunchTemplateNames ?? [];
      let list = launchTemplates(ctx).filter((t) => !ctx.fresh(t.createdAt));
      if (ids.length) list = ids.map((id) => findLaunchTemplate(ctx, id, undefined));
      if (names.length) list = names.map((n) => findLaunchTemplate(ctx, undefined, n));
      list = applyFilters(
        list,
        input.Filters,
        {
          'launch-template-name': (t) => t.name,
          'create-time': (t) => new Date(t.createdAt).toISOString(),
        },
        (t) => ctx.tagsOf(t.id),
      );
      dryRunCheck(input);
      const { page, next } = paginate(list, input.MaxResults, input.NextToken);
      return { LaunchTemplates: page.map((t) => templateOut(ctx, t)), NextToken: next };
    },
  },
  DescribeLaunchTemplateVersions: {
    mutating: false,
    fn(ctx, input) {
      const lt = findLaunchTemplate(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
      const refs: string[] = input.Versions ?? [];
      let list = refs.length ? refs.map((r) => resolveVersion(lt, r)) : [...lt.versions].reverse();
      if (input.MinVersion !== undefined) list = list.filter((v) => v.number >= Number(input.MinVersion));
      if (input.MaxVersion !== undefined) list = list.filter((v) => v.number <= Number(input.MaxVersion));
      list = applyFilters(list, input.Filters, {
        'is-default-version': (v) => String(v.number === lt.defaultVersion),
        'image-id': (v) => v.data.ImageId,
        'instance-type': (v) => v.data.InstanceType,
      });
      dryRunCheck(input);
      const { page, next } = paginate(list, input.MaxResults, input.NextToken);
      return { LaunchTemplateVersions: page.map((v) => versionOut(ctx, lt, v)), NextToken: next };
    },
  },
  ModifyLaunchTemplate: {
    mutating: true,
    fn(ctx, input) {
      const lt = findLaunchTemplate(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
      const ref: string | undefined = input.DefaultVersion;
      if (ref !== undefined && !/^\d+$/.test(ref))
        throw err(
          'InvalidParameterValue',
          `Invalid value '${ref}' for SetDefaultVersion. A version number is expected.`,
        );
      const v = ref === undefined ? undefined : resolveVersion(lt, ref);
      dryRunCheck(input);
      if (!v || v.number === lt.defaultVersion)
        return { LaunchTemplate: templateOut(ctx, lt), [NO_CHANGE]: true };
      lt.defaultVersion = v.number;
      return { LaunchTemplate: templateOut(ctx, lt) };
    },
  },
  DeleteLaunchTemplate: {
    mutating: true,
    fn(ctx, input) {
      const lt = findLaunchTemplate(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
      dryRunCheck(input);
      const out = templateOut(ctx, lt);
      ctx.state.launchTemplates = launchTemplates(ctx).filter((t) => t !== lt);
      delete ctx.state.tags[lt.id];
      return { LaunchTemplate: out };
    },
  },
};
