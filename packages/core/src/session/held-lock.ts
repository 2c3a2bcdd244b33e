/** A lock taken at most once per run, on first need, and released at its end. */
export interface HeldLock {
  /** Take it, or wait for the taking already under way; a refusal leaves it free to be asked again. */
  take(): Promise<void>;
  /** Let it go if it was taken; never throws (the run is ending anyway). */
  release(): Promise<void>;
}

export function heldLock(acquire?: () => Promise<{ release(): Promise<void> }>): HeldLock {
  let lock: Promise<{ release(): Promise<void> }> | undefined;
  return {
    async take() {
      if (!acquire) return;
      lock ??= acquire();
      try {
        await lock;
      } catch (error) {
        lock = undefined;
        throw error;
      }
    },
    async release() {
      const held = lock;
      lock = undefined;
      await held?.then((taken) => taken.release()).catch(() => undefined);
    },
  };
}
