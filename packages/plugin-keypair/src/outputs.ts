/**
 * The outputs of this plugin's resources, declared once for every plugin that reads them (see ResourceOutputs in
 * @site-cli/core/plugin). Other plugins import this file's declarations as types only: `import type {} from
 * '@site-cli/plugin-keypair/outputs'`.
 */

/** The output contract (docs/resource-graph.md). */
export interface KeyPairOutput {
  keyName: string;
  keyPairId: string;
  /** Where the private key is (or would be) on this machine. */
  pemPath: string;
  /**
   * False when the key pair exists in AWS but its private key is not on this machine: no file, or
   * (with `pemMismatch`) a file whose key the pair's public key (or fingerprint) proves is not this pair's.
   */
  pemPresent: boolean;
  /** AWS's KeyFingerprint of the pair (for imported keys, computed from the public key we sent). */
  fingerprint?: string;
  /** True when a file is at pemPath but it is not the private key of this pair: site leaves it alone. */
  pemMismatch?: boolean;
}

declare module '@site-cli/core/plugin' {
  interface ResourceOutputs {
    'keypair.key-pair': KeyPairOutput;
  }
}
