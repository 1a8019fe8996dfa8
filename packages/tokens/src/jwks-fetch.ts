import { request } from 'undici';

export interface FetchJwksOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** A JWKS is a few hundred bytes; anything far larger is not one. */
  maxBytes?: number;
}

/** GETs a JWKS document and returns its parsed JSON; any failure is an Error naming the URL. */
export async function fetchJwks(url: string, o: FetchJwksOptions = {}): Promise<unknown> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxBytes = o.maxBytes ?? 1 << 20;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (err) {
    throw new Error(`JWKS fetch from ${url} failed: ${(err as Error).message}`, { cause: err });
  }
  const { statusCode, body } = res;
  if (statusCode !== 200) {
    await body.dump().catch(() => {});
    throw new Error(`JWKS fetch from ${url} answered HTTP ${statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        body.destroy();
        throw new Error(`more than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    throw new Error(`JWKS fetch from ${url} failed reading the body: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error(`JWKS from ${url} is not valid JSON`);
  }
}
