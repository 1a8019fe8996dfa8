/** A minimal Server-Sent Events client for tests: collects events as they arrive. */
export interface SseEvent {
  id: number;
  event: string;
  data: { id: number; type: string; asset_id: string; data: Record<string, unknown> };
}

export interface SseStream {
  events: SseEvent[];
  /** Resolves once `predicate` holds for the events received so far. */
  until(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => {
                const i = l.indexOf(': ');
                return [l.slice(0, i), l.slice(i + 2)];
              }),
          );
          // A block of `id:` alone (how a stream that starts "now" opens) is no event.
          if (fields['id'] && fields['data'] !== undefined)
            events.push({ id: Number(fields['id']), event: fields['event']!, data: JSON.parse(fields['data']!) });
        }
        for (const w of waiters) w();
      }
    } catch {
      // closed by the test
    }
  })();
  return {
    events,
    until(predicate, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(events);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stream never got there; saw ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
