/**
 * One `abort` listener per AbortSignal, however many waits share the signal. A sync passes one
 * signal to every request it makes; each queued request (RequestLimiter), request in flight
 * (http.ts), backoff and shared token refresh used to add its own listener, so a page fetching
 * a dozen records at once passed Node's limit of 10 and printed MaxListenersExceededWarning.
 * Each listener was removed when its wait ended, so nothing leaked for good, but the count grew
 * with the queue. Here the signal carries a single listener that calls the registered
 * callbacks; it is removed when the last callback is.
 */
interface Fanout {
  callbacks: Set<() => void>;
  dispatch: () => void;
}

const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `callback` once when `signal` aborts; the returned function unregisters it (call it when
 * the wait ends). The callback is not called for a signal that has already aborted: check
 * `signal.aborted` (or `throwIfAborted()`) first.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let fanout = fanouts.get(signal);
  if (!fanout) {
    const callbacks = new Set<() => void>();
    const dispatch = () => {
      fanouts.delete(signal);
      for (const registered of callbacks) registered();
      callbacks.clear();
    };
    fanout = { callbacks, dispatch };
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  const { callbacks, dispatch } = fanout;
  // A callback registered twice still runs once per registration.
  const registration = () => callback();
  callbacks.add(registration);
  return () => {
    if (!callbacks.delete(registration) || callbacks.size > 0) return;
    signal.removeEventListener('abort', dispatch);
    if (fanouts.get(signal)?.dispatch === dispatch) fanouts.delete(signal);
  };
}

/** Settles like `promise`, or rejects with the signal's reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const release = onAbort(signal, () => reject(signal.reason));
    promise.then(resolve, reject).finally(release);
  });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let release = () => {};
    const timer = setTimeout(() => {
      release();
      resolve();
    }, ms);
    if (signal) {
      release = onAbort(signal, () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    }
  });
}
