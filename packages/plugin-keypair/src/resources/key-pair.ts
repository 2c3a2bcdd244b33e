import type { ResourceOf } from '@site-cli/core/plugin';
import { deleteKeyPair } from '../key-pair/delete.js';
import { conflict, describeKeyPairByName, describeOwned, KEY_PAIR } from '../key-pair/find.js';
import { createKeyPair, preflightImport, resumable } from '../key-pair/import.js';
import { keyPairOutput, statusRow } from '../key-pair/status.js';
import { pemCheck } from '../doctor.js';
import { checkPemWritable, fileMode, pemPathFor } from '../pem.js';

/**
 * The site's EC2 key pair: generated here, its private key written once (mode 0400, beside the config
 * file) before its public key is imported. This file only wires the jobs of ../key-pair/: find, import
 * (create, preflight), delete, status.
 */
export function keyPairResource(): ResourceOf<typeof KEY_PAIR> {
  return {
    id: KEY_PAIR,
    title: 'Key pair',
    kind: 'managed',
    dependsOn: [],
    iam: ['ec2:DescribeKeyPairs', 'ec2:ImportKeyPair', 'ec2:CreateTags', 'ec2:DeleteKeyPair'],

    async discover(ctx) {
      const owned = await describeOwned(ctx);
      const wanted = ctx.naming.keyPair;
      const pair = owned.find((candidate) => candidate.KeyName === wanted) ?? owned[0];
      if (pair) return keyPairOutput(ctx, pair);
      const sameName = await describeKeyPairByName(ctx, wanted);
      if (!sameName) return undefined;
      // Tag filters can lag just after creation: the tags on the pair decide.
      if (ctx.tags.isOwned(sameName.Tags, KEY_PAIR)) return keyPairOutput(ctx, sameName);
      throw conflict(ctx, sameName);
    },

    // A folder that cannot take the key, or a file of its name already there that is not a private key
    // of KEY_TYPE, stops the run before anything is created (see createKeyPair for the resume case).
    preconditions: async (ctx) => {
      await checkPemWritable(ctx, pemPathFor(ctx, ctx.naming.keyPair), resumable(ctx, ctx.naming.keyPair));
    },

    create: (ctx) => createKeyPair(ctx),

    destroy: (ctx, found) => deleteKeyPair(ctx, found),

    preflight: (ctx, { action }) => preflightImport(ctx, action),

    diff(ctx, found) {
      const wanted = ctx.naming.keyPair;
      return found.keyName === wanted ? [] : [{ field: 'key name', from: found.keyName, to: wanted }];
    },

    status: async (_ctx, found) => [statusRow(found)],

    // Absent, the pair is drift's to report (the core's check).
    doctor: async (ctx, found) => {
      if (!found) return [];
      const recover = `run \`${ctx.commandLine('keypair delete')}\` then \`${ctx.commandLine('deploy')}\` (a new key pair and new instances).`;
      return [pemCheck(found, await fileMode(found.pemPath), recover)];
    },

    summarize(found) {
      return { keyName: found.keyName, keyPairId: found.keyPairId, pemPath: found.pemPath };
    },
  };
}
