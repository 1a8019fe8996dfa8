import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './client.ts';

export interface Account {
  id: string;
  name: string;
}

export interface IssuedKey {
  id: string;
  accountId: string;
  prefix: string;
  /** The only time the whole key exists outside its owner's hands. */
  key: string;
}

const KEY_PREFIX = 'kino_';

export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** A key's recognisable, non-secret head: "kino_" plus the first 8 characters. */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 8);
}

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export async function createAccount(sql: Queryable, name: string): Promise<Account> {
  const [row] = await sql<Account[]>`insert into accounts (name) values (${name}) returning id, name`;
  return row!;
}

/** Stores a key's hash; `key` fixes its value (the dev key), otherwise one is generated. */
export async function issueApiKey(sql: Queryable, accountId: string, opts: { name?: string; key?: string } = {}): Promise<IssuedKey> {
  const key = opts.key ?? generateKey();
  const [row] = await sql<{ id: string }[]>`
    insert into api_keys (account_id, prefix, key_hash, name)
    values (${accountId}, ${keyPrefix(key)}, ${hashKey(key)}, ${opts.name ?? ''})
    returning id`;
  return { id: row!.id, accountId, prefix: keyPrefix(key), key };
}

export interface AuthenticatedKey {
  account: Account;
  /** The key's row: long-lived requests (event streams) re-check it with isApiKeyActive. */
  keyId: string;
}

/**
 * The account a presented key belongs to and the key's id, or null for an unknown or
 * revoked key. Keys are 256-bit random strings, so a lookup by their hash leaks nothing
 * useful through timing.
 */
export async function authenticateApiKey(sql: Queryable, key: string): Promise<AuthenticatedKey | null> {
  const [row] = await sql<{ key_id: string; id: string; name: string }[]>`
    select k.id as key_id, a.id, a.name
    from api_keys k join accounts a on a.id = k.account_id
    where k.key_hash = ${hashKey(key)} and k.revoked_at is null`;
  return row ? { account: { id: row.id, name: row.name }, keyId: row.key_id } : null;
}

/** The account a presented key belongs to, or null. */
export async function authenticateKey(sql: Queryable, key: string): Promise<Account | null> {
  return (await authenticateApiKey(sql, key))?.account ?? null;
}

/** False once the key is revoked (or gone with its account). */
export async function isApiKeyActive(sql: Queryable, keyId: string): Promise<boolean> {
  const rows = await sql`select 1 from api_keys where id = ${keyId} and revoked_at is null`;
  return rows.length > 0;
}

/**
 * Revokes a key of the account: from now on it authenticates nothing, and event streams
 * it opened end at their next heartbeat. False when the account has no such live key.
 */
export async function revokeApiKey(sql: Queryable, accountId: string, keyId: string): Promise<boolean> {
  const rows = await sql`
    update api_keys set revoked_at = now()
    where id = ${keyId} and account_id = ${accountId} and revoked_at is null
    returning id`;
  return rows.length > 0;
}

/** Finds the account that owns `key`, creating account and key once; used for the dev key. */
export async function ensureAccountWithKey(sql: Queryable, accountName: string, key: string): Promise<Account> {
  const existing = await authenticateKey(sql, key);
  if (existing) return existing;
  const account = await createAccount(sql, accountName);
  await issueApiKey(sql, account.id, { key, name: 'dev' });
  return account;
}
