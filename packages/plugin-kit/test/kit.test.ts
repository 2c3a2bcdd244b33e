import { strict as assert } from 'node:assert';
import type { Config } from '@oclif/core';
import {
  errorCode,
  errorEnvelope,
  exitCodeOf,
  isAwsError,
  isInterrupted,
  isSiteError,
  isWaitTimeout,
  PluginKitError,
  siteCore,
  successEnvelope,
} from '../src/index.js';

/** An error as the core's SiteError looks once it reaches a plugin. */
const siteError = (code: string, exitCode = 1) =>
  Object.assign(new Error(`${code} happened`), {
    name: 'SiteError',
    code,
    suggestions: ['do this'],
    exitCode,
  });
/** An error as the AWS SDK throws it. */
const awsError = (name: string) =>
  Object.assign(new Error('AWS said no'), { name, $metadata: { httpStatusCode: 400 } });

/** An oclif Config whose `site:runtime` hook answers with `answer` (or fails with `failure`). */
function configAnswering(answer: unknown, failure?: Error): Config {
  return {
    runHook: async () => ({
      successes: answer === undefined ? [] : [{ result: answer, plugin: {} }],
      failures: failure ? [{ error: failure, plugin: {} }] : [],
    }),
  } as unknown as Config;
}

describe('plugin kit', () => {
  describe('error predicates', () => {
    it('know a wait that timed out and a stopped run by their stable codes', () => {
      assert.equal(isWaitTimeout(siteError('WAIT_TIMEOUT')), true);
      assert.equal(isWaitTimeout(siteError('AWS_THROTTLED')), false);
      assert.equal(isWaitTimeout(new Error('WAIT_TIMEOUT')), false, 'a message is not a code');
      assert.equal(isInterrupted(siteError('INTERRUPTED', 130)), true);
      assert.equal(isInterrupted(siteError('TERMINATED', 143)), true);
      assert.equal(isInterrupted(undefined), false);
    });

    it('read AWS errors by the code the SDK names them with', () => {
      const notFound = awsError('InvalidKeyPair.NotFound');
      assert.equal(errorCode(notFound), 'InvalidKeyPair.NotFound');
      assert.equal(isAwsError(notFound, 'InvalidGroup.NotFound', 'InvalidKeyPair.NotFound'), true);
      assert.equal(isAwsError(notFound, 'Throttling'), false);
      assert.equal(isAwsError(siteError('InvalidKeyPair.NotFound'), 'InvalidKeyPair.NotFound'), false);
      assert.equal(errorCode(new TypeError('x')), undefined);
    });

    it('recognise a site error by its shape, whichever copy made it', () => {
      assert.equal(isSiteError(siteError('X')), true);
      assert.equal(isSiteError(new PluginKitError({ code: 'X', message: 'm' })), true);
      assert.equal(isSiteError(Object.assign(new Error('m'), { code: 'ENOENT' })), false);
    });
  });

  describe('the --json envelope', () => {
    it('on success: the exit code, the result and the warnings', () => {
      assert.deepEqual(successEnvelope({ a: 1 }, ['careful']), {
        status: 0,
        result: { a: 1 },
        warnings: ['careful'],
      });
      assert.equal(successEnvelope(null, [], 3).status, 3);
    });

    it('on failure: a site error keeps its code, message, suggestions and exit code', () => {
      const envelope = errorEnvelope(siteError('KEYPAIR_IN_USE', 2), ['w']);
      assert.equal(envelope.status, 2);
      assert.deepEqual(
        {
          code: envelope.error.code,
          message: envelope.error.message,
          suggestions: envelope.error.suggestions,
        },
        { code: 'KEYPAIR_IN_USE', message: 'KEYPAIR_IN_USE happened', suggestions: ['do this'] },
      );
      assert.deepEqual(envelope.warnings, ['w']);
    });

    it('on a command line oclif cannot parse: exit 2, INVALID_COMMAND_LINE, and where to look', () => {
      const parse = Object.assign(new Error('Nonexistent flag: --bogus\nSee more help with --help'), {
        oclif: { exit: 2 },
      });
      assert.equal(exitCodeOf(parse), 2);
      assert.deepEqual(errorEnvelope(parse, [], 'alb status'), {
        status: 2,
        error: {
          code: 'INVALID_COMMAND_LINE',
          message: 'Nonexistent flag: --bogus',
          suggestions: ['Run `site alb status --help` for what it takes.'],
        },
        warnings: [],
      });
    });

    it('anything else: exit 1, UNEXPECTED', () => {
      const envelope = errorEnvelope(new TypeError('boom'));
      assert.deepEqual(
        [envelope.status, envelope.error.code, envelope.error.message],
        [1, 'UNEXPECTED', 'boom'],
      );
    });
  });

  describe('siteCore: the core from the CLI', () => {
    it('answers with the runtime of the site:runtime hook, once per process', async () => {
      const core = { apiVersion: 1, coreVersion: '0.1.0' };
      let asked = 0;
      const config = {
        runHook: async () => (asked++, { successes: [{ result: core, plugin: {} }], failures: [] }),
      } as unknown as Config;
      assert.equal(await siteCore(config), core);
      assert.equal(await siteCore(config), core);
      assert.equal(asked, 1);
    });

    it('outside the site CLI: CORE_UNAVAILABLE with the reason and the fix', async () => {
      await assert.rejects(
        siteCore(configAnswering(undefined, new Error('no such hook'))),
        (error: PluginKitError) => {
          assert.equal(error.code, 'CORE_UNAVAILABLE');
          assert.match(error.message, /no such hook/);
          assert.match(error.suggestions[0], /through the `site` CLI/);
          assert.equal(error.exitCode, 1);
          return true;
        },
      );
    });

    it('a core speaking another plugin API version: PLUGIN_API_MISMATCH naming both', async () => {
      await assert.rejects(
        siteCore(configAnswering({ apiVersion: 2, coreVersion: '9.0.0' })),
        (error: PluginKitError) => {
          assert.equal(error.code, 'PLUGIN_API_MISMATCH');
          assert.match(error.message, /version 1 .*\(core 9\.0\.0\) speaks version 2/);
          return true;
        },
      );
    });
  });
});
