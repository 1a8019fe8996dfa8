import { KinoError } from './errors.ts';
import type { WebhookEvent } from './types.ts';

// Standard Webhooks (https://www.standardwebhooks.com), as packages/webhooks signs: secret
// `whsec_` + base64 key; `webhook-signature` holds space-separated `v1,<base64 HMAC-SHA256 of
// "{webhook-id}.{webhook-timestamp}.{body}">` (two during a secret rotation's overlap).
// WebCrypto only, so it runs in browsers, Node, Deno and workers alike.

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far webhook-timestamp may be from now, in seconds (replay protection): 300 by default. */
  toleranceSeconds?: number;
  /** The clock, for tests of old deliveries. */
  now?: () => number;
}

const invalid = (message: string) => new KinoError({ code: 'WEBHOOK_SIGNATURE_INVALID', status: 0, message });

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v.join(' ') : v;
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Equal bytes, in a time that depends on the length only. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Checks a delivery's signature and age, and returns its parsed body; throws WEBHOOK_SIGNATURE_INVALID otherwise. */
export async function verifyWebhook(
  headers: WebhookHeaders,
  body: string | Uint8Array,
  secret: string,
  opts: VerifyOptions = {},
): Promise<WebhookEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw invalid('Missing webhook-id, webhook-timestamp or webhook-signature header.');
  if (!/^[0-9]+$/.test(timestamp)) throw invalid('webhook-timestamp is not a unix time.');
  const tolerance = opts.toleranceSeconds ?? 300;
  const now = Math.floor((opts.now ?? Date.now)() / 1000);
  if (Math.abs(now - Number(timestamp)) > tolerance) throw invalid(`webhook-timestamp is more than ${tolerance} s from now.`);

  let keyBytes: Uint8Array;
  try {
    keyBytes = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  } catch {
    throw invalid('The secret is not a Standard Webhooks secret (whsec_ + base64).');
  }
  const key = await crypto.subtle.importKey('raw', keyBytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const encoder = new TextEncoder();
  const bodyBytes = typeof body === 'string' ? encoder.encode(body) : body;
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bodyBytes.length);
  signed.set(prefix);
  signed.set(bodyBytes, prefix.length);
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, signed));

  const match = signatures.split(' ').some((s) => {
    const [version, mac] = s.split(',', 2);
    if (version !== 'v1' || !mac) return false;
    try {
      return sameBytes(fromBase64(mac), expected);
    } catch {
      return false;
    }
  });
  if (!match) throw invalid('No webhook-signature matches the body and the secret.');
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as WebhookEvent;
}
