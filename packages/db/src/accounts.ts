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
export async function issueApiKey(
  sql: Queryable,
  accountId: string,
  opts: { name?: string; key?: string } = {},
): Promise<IssuedKey> {
  const key = opts.key ?? generateKey();
  const [row] = await sql<{ id: string }[]>`
    insert into api_keys (account_id, prefix, key_hash, name)
    values (${accountId}, ${keyPrefix(key)}, ${hashKey(key)}, ${opts.name ?? ''})
    returning id`;
  return { id: row!.id, accountId, prefix: keyPrefix(key), key };
}

/**
 * The account a presented key belongs to, or null. Keys are 256-bit random strings, so a
 * lookup by their hash leaks nothing useful through timing.
 */
export async function authenticateKey(sql: Queryable, key: string): Promise<Account | null> {
  const [row] = await sql<Account[]>`
    select a.id, a.name
    from api_keys k join accounts a on a.id = k.account_id
    where k.key_hash = ${hashKey(key)} and k.revoked_at is null`;
  return row ?? null;
}

/** Finds the account that owns `key`, creating account and key once; used for the dev key. */
export async function ensureAccountWithKey(sql: Queryable, accountName: string, key: string): Promise<Account> {
  const existing = await authenticateKey(sql, key);
  if (existing) return existing;
  const account = await createAccount(sql, accountName);
  await issueApiKey(sql, account.id, { key, name: 'dev' });
  return account;
}
