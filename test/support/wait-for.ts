export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Says what was awaited when the wait times out; a function is called then (e.g. to show a child's output so far). */
  description?: string | (() => string);
}

/**
 * Polls `check` until it returns a value other than undefined/false, instead of sleeping a fixed
 * time. Rejects with the description and the last value or error seen after the timeout.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Exclude<T, false | undefined>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const detail = last instanceof Error ? last.message : JSON.stringify(last);
  const description = typeof options.description === 'function' ? options.description() : options.description;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description ?? 'a condition'} (last: ${detail})`);
}
