import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningKey, parseSigningKeys, type SigningKeys } from '../src/index.ts';

export const AUDIENCE = 'kino-playback';

export async function makeKeys(...kids: string[]): Promise<SigningKeys> {
  const jwks = await Promise.all(kids.map((kid) => generateSigningKey(kid)));
  return parseSigningKeys(JSON.stringify(jwks));
}

export const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function validClaims(assetId: string, nowMs = Date.now()): Record<string, unknown> {
  const iat = Math.floor(nowMs / 1000);
  return { sub: assetId, aud: AUDIENCE, iat, nbf: iat, exp: iat + 600 };
}

/** A compact JWS with an HMAC-SHA256 signature under any secret, as an attacker would make one. */
export function hs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: Buffer | string): string {
  const input = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export const newAssetId = (): string => randomUUID();

/** A JWKS endpoint whose document (or failure) the test changes at will, counting fetches. */
export interface JwksServer {
  url: string;
  hits: number;
  body: unknown;
  status: number;
  close(): Promise<void>;
}

export async function startJwksServer(body: unknown): Promise<JwksServer> {
  const state = { hits: 0, body, status: 200 };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    res.writeHead(state.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(state.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
