export interface WokenWait<T> {
  /** Reads the truth (Postgres). */
  read: () => Promise<T>;
  /** Whether what was read ends the wait. */
  done: (value: T) => boolean;
  /** Calls `wake` whenever there may be news (a Redis notification); returns the unsubscribe. */
  subscribe: (wake: () => void) => () => void;
  /** The wait's bound: what is read then is returned, done or not. */
  timeoutMs: number;
  /** The longest gap between reads without a notification: one can be lost. */
  recheckMs: number;
  signal: AbortSignal;
}

/**
 * Reads until `done`, the timeout or the abort: once at the start, again whenever a
 * notification arrives, and every `recheckMs` in case one was lost, so a wait costs a few
 * reads however long it is. Subscribed before the first read, so news that lands between a
 * read and the wait is not missed; notifications during a read make one more read, not many.
 */
export async function waitWoken<T>(w: WokenWait<T>): Promise<T> {
  const deadline = Date.now() + w.timeoutMs;
  let news = false;
  // Set when the sleep that ran to the deadline ends: timers may fire a millisecond before
  // Date.now() reaches it, and that must still be the last read, not one more sleep.
  let lastRead = false;
  let wake = () => {
    news = true;
  };
  const unsubscribe = w.subscribe(() => wake());
  const abort = () => wake();
  w.signal.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      news = false;
      const value = await w.read();
      if (w.done(value) || w.signal.aborted || lastRead || Date.now() >= deadline) return value;
      if (!news)
        await new Promise<void>((resolve) => {
          const left = deadline - Date.now();
          const timer = setTimeout(
            () => {
              lastRead = left <= w.recheckMs;
              resolve();
            },
            Math.min(w.recheckMs, left),
          );
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      wake = () => {
        news = true;
      };
    }
  } finally {
    unsubscribe();
    w.signal.removeEventListener('abort', abort);
  }
}
