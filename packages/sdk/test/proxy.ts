import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

export interface CuttingProxy {
  url: string;
  /** Bytes sent towards the api so far, over every connection. */
  upstreamBytes(): number;
  /** Destroys every open connection at once (the client sees a reset mid-request or mid-stream). */
  cut(): void;
  /** Cuts every connection and refuses new ones until `up`: the api is unreachable meanwhile. */
  down(): void;
  up(): void;
  /** Destroys the connection that carries the `bytes`-th byte towards the api, once. */
  cutAfter(bytes: number): Promise<void>;
  /** Resolves once `text` has come back from the api on a connection (e.g. a stream's opening). */
  answered(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on loopback in front of `target`, to cut connections as a network would. */
export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let sent = 0;
  let trip: { at: number; done: () => void } | undefined;
  let refusing = false;
  const watchers = new Set<{ text: string; done: () => void }>();
  const server = createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = createConnection({ host: hostname, port: Number(port) });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (trip && sent >= trip.at) {
        const { done } = trip;
        trip = undefined;
        drop();
        return done();
      }
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    // For `answered`: a text that ends in this chunk, which may have begun in the one before.
    let tail = '';
    upstream.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      for (const w of watchers) {
        if (text.indexOf(w.text, Math.max(0, tail.length - w.text.length + 1)) === -1) continue;
        watchers.delete(w);
        w.done();
      }
      tail = text.slice(-256);
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cut = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upstreamBytes: () => sent,
    cut,
    down() {
      refusing = true;
      cut();
    },
    up() {
      refusing = false;
    },
    cutAfter: (bytes) => new Promise((done) => (trip = { at: sent + bytes, done })),
    answered: (text) => new Promise((done) => watchers.add({ text, done })),
    async close() {
      cut();
      await new Promise((r) => server.close(r));
    },
  };
}
