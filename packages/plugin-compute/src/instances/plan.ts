/** Planning: which instances to keep, which to retire, and the changes explained in the user's words. */
import type { Instance } from '@aws-sdk/client-ec2';
import type { Change } from '@site-cli/core/plugin';
import {
  specTags,
  TAG_AMI,
  TAG_FINGERPRINT,
  TAG_INDEX,
  TAG_TEMPLATE,
  TAG_USER_DATA,
  TAG_VOLUME_SIZE,
  sha256,
  type InstanceSpec,
} from '../spec.js';
import { SERVING_STATES, stateOf, tagValue } from './find.js';

export interface Partition {
  /** Instances matching the spec, one per index < count, by index. */
  keep: Instance[];
  /** Everything else: another fingerprint, a surplus index, a duplicate, stopped. */
  stale: Instance[];
}

/** Split what exists into the instances to keep and the ones to retire. */
export function partition(
  instances: Instance[],
  spec: Pick<InstanceSpec, 'fingerprint' | 'count'>,
): Partition {
  const byIndex = new Map<number, Instance>();
  const stale: Instance[] = [];
  const ordered = [...instances].sort((a, b) =>
    String(a.LaunchTime ?? '').localeCompare(String(b.LaunchTime ?? '')),
  );
  for (const instance of ordered) {
    const index = Number(tagValue(instance, TAG_INDEX));
    const matches =
      tagValue(instance, TAG_FINGERPRINT) === spec.fingerprint &&
      Number.isInteger(index) &&
      index >= 0 &&
      index < spec.count &&
      SERVING_STATES.has(stateOf(instance)) &&
      !byIndex.has(index);
    if (matches) byIndex.set(index, instance);
    else stale.push(instance);
  }
  const keep = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, instance]) => instance);
  return { keep, stale };
}

/** The indexes (0 … count-1) no kept instance holds: the ones to launch. */
export function missingIndexes(keep: Instance[], count: number): number[] {
  const have = new Set(keep.map((i) => Number(tagValue(i, TAG_INDEX))));
  return Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i));
}

/** Explain a fingerprint change in the user's words, from the tags the stale instances carry. */
function explain(spec: InstanceSpec, stale: Instance[]): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  let explained = false;
  /** Record a difference once across instances; remember this instance had one. */
  const add = (field: string, from: unknown, to: unknown) => {
    if (from === to) return;
    explained = true;
    const key = `${field}\n${String(from)}`;
    if (seen.has(key)) return;
    seen.add(key);
    changes.push({ field, from, to });
  };
  const desiredTags = specTags(spec, 0);
  for (const instance of stale) {
    if (tagValue(instance, TAG_FINGERPRINT) === spec.fingerprint) continue;
    explained = false;
    add('instance type', instance.InstanceType, spec.instanceType);
    const template = tagValue(instance, TAG_TEMPLATE);
    if (template !== undefined) add('template', template, spec.template);
    const volume = tagValue(instance, TAG_VOLUME_SIZE);
    if (volume !== undefined) add('volume size', Number(volume), spec.volumeSize);
    if (spec.fixedImageId || tagValue(instance, TAG_AMI))
      add('AMI', instance.ImageId, spec.fixedImageId ?? '(newest match of the filter)');
    const userData = tagValue(instance, TAG_USER_DATA);
    if (!explained && userData !== undefined && userData !== desiredTags[TAG_USER_DATA]) {
      add('user data', `sha256:${userData}`, `sha256:${sha256(spec.userData).slice(0, 16)}`);
    }
    if (!explained)
      add('instance configuration', tagValue(instance, TAG_FINGERPRINT) ?? '(untagged)', spec.fingerprint);
  }
  return changes;
}

/**
 * What a deploy must do about the instances. Besides configuration drift: instances an interrupted run left in
 * transit — `pending` ones are waited for until running before anything uses them (AWS refuses to register a
 * pending target), `shutting-down` ones until terminated — exactly as if this run had launched or retired them.
 */
export function diffInstances(spec: InstanceSpec, instances: Instance[]): Change[] {
  const leaving = instances.filter((i) => stateOf(i) === 'shutting-down');
  const changes = diffConfiguration(
    spec,
    instances.filter((i) => !leaving.includes(i)),
  );
  const starting = partition(instances, spec).keep.filter((i) => stateOf(i) === 'pending');
  if (starting.length > 0)
    changes.push({ field: 'instances starting', from: starting.map((i) => i.InstanceId), to: 'running' });
  if (leaving.length > 0)
    changes.push({
      field: 'instances shutting down',
      from: leaving.map((i) => i.InstanceId),
      to: 'terminated',
    });
  return changes;
}

function diffConfiguration(spec: InstanceSpec, instances: Instance[]): Change[] {
  const { keep, stale } = partition(instances, spec);
  const outdated = stale.filter((i) => tagValue(i, TAG_FINGERPRINT) !== spec.fingerprint);
  const current = stale.filter((i) => tagValue(i, TAG_FINGERPRINT) === spec.fingerprint);
  const changes = explain(spec, outdated);
  const stopped = current.filter((i) => !SERVING_STATES.has(stateOf(i)));
  const surplus = current.length - stopped.length;
  if (stopped.length > 0) {
    changes.push({
      field: 'stopped instances',
      from: stopped.map((i) => i.InstanceId),
      to: 'replaced by running ones',
    });
  }
  if (surplus > 0 || (outdated.length === 0 && keep.length < spec.count)) {
    changes.push({ field: 'instance count', from: keep.length + surplus, to: spec.count });
  }
  return changes;
}
