import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface SilentListeners {
  /** One webhook URL per listener. */
  urls: string[];
  /** Connections accepted so far, over all of them. */
  connections(): number;
  /** Drops every connection (the sends waiting on them fail at once) and closes. */
  close(): Promise<void>;
}

/** `n` listeners on loopback that accept connections, read the request and never answer. */
export async function startSilentListeners(n: number): Promise<SilentListeners> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const servers: Server[] = [];
  for (let i = 0; i < n; i++) {
    const server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      socket.resume();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
  }
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`),
    connections: () => connections,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

export interface ArrivalReceiver {
  url: string;
  /** When each event (by its id, `data.id` in the payload) first arrived, in ms since the epoch. */
  arrivals: Map<number, number>;
  close(): Promise<void>;
}

/** A webhook receiver on loopback that answers 204 and notes when each event arrived. */
export async function startArrivalReceiver(): Promise<ArrivalReceiver> {
  const arrivals = new Map<number, number>();
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = (JSON.parse(body) as { data: { id: number } }).data.id;
      if (!arrivals.has(id)) arrivals.set(id, Date.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
