/** URLs fetched ahead of play into the browser's HTTP cache. */
export interface Prefetched {
  /** Settles once `url`'s prefetch is over (undefined when it was not prefetched). */
  settled(url: string): Promise<void> | undefined;
}

/**
 * Fetches `urls` at low priority so the page's own resources go first, and reads each body
 * to the end: the HTTP cache keeps a response only once it has all of it. Failures are
 * ignored; the play request will simply go to the network.
 */
export function prefetch(urls: string[]): Prefetched {
  const inFlight = new Map(
    urls.map(
      (url) =>
        [
          url,
          fetch(url, { priority: 'low' })
            .then((r) => r.arrayBuffer())
            .then(
              () => undefined,
              () => undefined,
            ),
        ] as const,
    ),
  );
  return { settled: (url) => inFlight.get(url) };
}
