import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// An HTTP proxy in front of s3rver, for tests that need a fill to be really in progress:
// it can hold a response body part-way until the test says go on, or break it off.
// Requests pass through byte for byte (Host included), so S3 signatures still verify.

export interface Gate {
  /** Resolves once the first part of the body has been sent. */
  reached: Promise<void>;
  release(): void;
}

export interface OriginProxy {
  endpoint: string;
  /** Object keys of the GETs passed on, in order. */
  gets: string[];
  /** The next GET of a key ending in `suffix` sends `bytes` of its body, then waits for release(). */
  hold(suffix: string, bytes: number): Gate;
  /** The next GET of a key ending in `suffix` sends `bytes` of its body, then breaks the connection. */
  cut(suffix: string, bytes: number): void;
  /**
   * Every GET of a key starting with `prefix` and ending in `suffix` (all of them, until
   * release) waits before it is passed on: an origin that is slow to answer, so fills stay
   * in flight while a test looks.
   */
  stall(prefix: string, suffix?: string): Stall;
  close(): Promise<void>;
}

export interface Stall {
  /** GETs held so far. */
  readonly held: number;
  /** Passes the held GETs on, and lets later ones through. */
  release(): void;
}

interface Rule {
  suffix: string;
  bytes: number;
  gate?: { reached: () => void; released: Promise<void> };
}

export async function startOriginProxy(target: string): Promise<OriginProxy> {
  const upstream = new URL(target);
  const rules: Rule[] = [];
  const gets: string[] = [];
  const stalls: Array<{ prefix: string; suffix: string; held: number; released: Promise<void> }> = [];

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const key = path.split('/').slice(2).join('/');
    let rule: Rule | undefined;
    if (req.method === 'GET' && key) {
      gets.push(key);
      const i = rules.findIndex((r) => key.endsWith(r.suffix));
      if (i !== -1) rule = rules.splice(i, 1)[0];
    }
    const pass = () => {
      const up = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (upRes) => void relay(upRes, res, rule).catch(() => res.destroy()),
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    const stall = req.method === 'GET' ? stalls.find((s) => key.startsWith(s.prefix) && key.endsWith(s.suffix)) : undefined;
    if (stall === undefined) return pass();
    stall.held += 1;
    void stall.released.then(pass);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    gets,
    hold(suffix, bytes) {
      let reached!: () => void;
      let release!: () => void;
      const gate = {
        reached: new Promise<void>((r) => (reached = r)),
        released: new Promise<void>((r) => (release = r)),
      };
      rules.push({ suffix, bytes, gate: { reached, released: gate.released } });
      return { reached: gate.reached, release };
    },
    cut(suffix, bytes) {
      rules.push({ suffix, bytes });
    },
    stall(prefix, suffix = '') {
      let release!: () => void;
      const s = { prefix, suffix, held: 0, released: new Promise<void>((r) => (release = r)) };
      stalls.push(s);
      return {
        get held() {
          return s.held;
        },
        release() {
          stalls.splice(stalls.indexOf(s), 1);
          release();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function relay(upRes: IncomingMessage, res: ServerResponse, rule: Rule | undefined): Promise<void> {
  res.writeHead(upRes.statusCode ?? 502, upRes.headers);
  let sent = 0;
  const write = async (chunk: Buffer) => {
    if (chunk.length > 0 && !res.write(chunk)) await once(res, 'drain');
    sent += chunk.length;
  };
  let held = false;
  for await (const chunk of upRes as AsyncIterable<Buffer>) {
    if (rule && !held && sent + chunk.length >= rule.bytes) {
      held = true;
      const head = rule.bytes - sent;
      await write(chunk.subarray(0, head));
      if (!rule.gate) return void res.socket?.destroy();
      rule.gate.reached();
      await rule.gate.released;
      await write(chunk.subarray(head));
    } else {
      await write(chunk);
    }
  }
  res.end();
}
