import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './client.ts';

/** What a key may do; `full` is everything (services/api access.ts maps routes to scopes). */
export const KEY_SCOPES = ['full', 'upload', 'read', 'playback'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface Account {
  id: string;
  name: string;
  /** A tier of limits in configuration (TENANT_PLANS). */
  plan: string;
  /** This account's own exceptions to its plan's limits, by limit name. */
  limits: Record<string, number>;
  disabled_at: Date | null;
  created_at: Date;
}

export interface ApiKey {
  id: string;
  account_id: string;
  name: string;
  /** The key's recognisable, non-secret head. */
  prefix: string;
  scopes: KeyScope[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface IssuedKey extends ApiKey {
  /** The only time the whole key exists outside its owner's hands. */
  key: string;
}

const KEY_PREFIX = 'kino_';
const ACCOUNT_COLUMNS = 'id, name, plan, limits, disabled_at, created_at';
const KEY_COLUMNS = 'id, account_id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at';

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

export async function createAccount(sql: Queryable, name: string, opts: { plan?: string } = {}): Promise<Account> {
  const [row] = await sql<Account[]>`
    insert into accounts (name, plan) values (${name}, ${opts.plan ?? 'default'})
    returning ${sql.unsafe(ACCOUNT_COLUMNS)}`;
  return row!;
}

export async function getAccount(sql: Queryable, id: string): Promise<Account | null> {
  const [row] = await sql<Account[]>`select ${sql.unsafe(ACCOUNT_COLUMNS)} from accounts where id = ${id}`;
  return row ?? null;
}

/** Every account, oldest first (an operator's listing: accounts are few). */
export async function listAccounts(sql: Queryable): Promise<Account[]> {
  return sql<Account[]>`select ${sql.unsafe(ACCOUNT_COLUMNS)} from accounts order by created_at, id`;
}

/** Disables (or enables again) an account: a disabled account's keys authenticate nothing. Null when there is no such account. */
export async function setAccountDisabled(sql: Queryable, id: string, disabled: boolean): Promise<Account | null> {
  const [row] = await sql<Account[]>`
    update accounts set disabled_at = ${disabled ? sql`coalesce(disabled_at, now())` : null}
    where id = ${id}
    returning ${sql.unsafe(ACCOUNT_COLUMNS)}`;
  return row ?? null;
}

/** Moves an account to another plan and/or replaces its own limit overrides. Null when there is no such account. */
export async function setAccountPlan(
  sql: Queryable,
  id: string,
  o: { plan?: string | undefined; limits?: Record<string, number> | undefined },
): Promise<Account | null> {
  const [row] = await sql<Account[]>`
    update accounts
    set plan = coalesce(${o.plan ?? null}, plan),
        limits = coalesce(${o.limits ? sql.json(o.limits) : null}::jsonb, limits)
    where id = ${id}
    returning ${sql.unsafe(ACCOUNT_COLUMNS)}`;
  return row ?? null;
}

export interface NewKey {
  name?: string;
  /** Fixes the key's value (the dev key); otherwise one is generated. */
  key?: string;
  scopes?: readonly KeyScope[];
  expiresAt?: Date | null;
}

/** Stores a key's hash and returns the key, whole, this once. */
export async function issueApiKey(sql: Queryable, accountId: string, opts: NewKey = {}): Promise<IssuedKey> {
  const key = opts.key ?? generateKey();
  const [row] = await sql<ApiKey[]>`
    insert into api_keys (account_id, prefix, key_hash, name, scopes, expires_at)
    values (${accountId}, ${keyPrefix(key)}, ${hashKey(key)}, ${opts.name ?? ''},
            ${[...(opts.scopes ?? ['full'])]}::text[], ${opts.expiresAt ?? null})
    returning ${sql.unsafe(KEY_COLUMNS)}`;
  return { ...row!, key };
}

/** The account's live (unrevoked) keys, newest first: at most its api_keys quota of them. */
export async function listApiKeys(sql: Queryable, accountId: string): Promise<ApiKey[]> {
  return sql<ApiKey[]>`
    select ${sql.unsafe(KEY_COLUMNS)} from api_keys
    where account_id = ${accountId} and revoked_at is null
    order by created_at desc, id desc`;
}

export interface AuthenticatedKey {
  account: Account;
  /** The key's row: long-lived requests (event streams) re-check it with isApiKeyActive. */
  keyId: string;
  scopes: KeyScope[];
  expiresAt: Date | null;
}

/**
 * The key a presented secret is, with its account, or null for an unknown or revoked key.
 * An expired key or a disabled account is returned as it is: the caller says which refused
 * it. Keys are 256-bit random strings, so a lookup by their hash leaks nothing useful
 * through timing.
 */
export async function authenticateApiKey(sql: Queryable, key: string): Promise<AuthenticatedKey | null> {
  const [row] = await sql<(Account & { key_id: string; scopes: KeyScope[]; expires_at: Date | null })[]>`
    select k.id as key_id, k.scopes, k.expires_at,
           a.id, a.name, a.plan, a.limits, a.disabled_at, a.created_at
    from api_keys k join accounts a on a.id = k.account_id
    where k.key_hash = ${hashKey(key)} and k.revoked_at is null`;
  if (!row) return null;
  const { key_id, scopes, expires_at, ...account } = row;
  return { account, keyId: key_id, scopes, expiresAt: expires_at };
}

/** The account a presented key may act for now (not revoked, not expired, account enabled), or null. */
export async function authenticateKey(sql: Queryable, key: string): Promise<Account | null> {
  const found = await authenticateApiKey(sql, key);
  if (!found || found.account.disabled_at || (found.expiresAt && found.expiresAt <= new Date())) return null;
  return found.account;
}

/** False once the key is revoked or expired, or its account disabled (or gone). */
export async function isApiKeyActive(sql: Queryable, keyId: string): Promise<boolean> {
  const rows = await sql`
    select 1 from api_keys k join accounts a on a.id = k.account_id
    where k.id = ${keyId} and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
      and a.disabled_at is null`;
  return rows.length > 0;
}

/** Those of `keyIds` that are still active (isApiKeyActive for many keys in one query). */
export async function activeApiKeys(sql: Queryable, keyIds: readonly string[]): Promise<Set<string>> {
  if (keyIds.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    select k.id from api_keys k join accounts a on a.id = k.account_id
    where k.id = any(${[...keyIds]}::uuid[]) and k.revoked_at is null
      and (k.expires_at is null or k.expires_at > now()) and a.disabled_at is null`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Revokes a key of the account: from now on it authenticates nothing, and event streams
 * it opened end at their next heartbeat. Null when the account has no such live key.
 */
export async function revokeApiKey(sql: Queryable, accountId: string, keyId: string): Promise<ApiKey | null> {
  const [row] = await sql<ApiKey[]>`
    update api_keys set revoked_at = now()
    where id = ${keyId} and account_id = ${accountId} and revoked_at is null
    returning ${sql.unsafe(KEY_COLUMNS)}`;
  return row ?? null;
}

/** Records that these keys were used now (batched by the caller: one write per key per minute at most). */
export async function touchApiKeys(sql: Queryable, keyIds: readonly string[]): Promise<void> {
  if (keyIds.length === 0) return;
  await sql`update api_keys set last_used_at = now() where id = any(${[...keyIds]}::uuid[])`;
}

/** Finds the account that owns `key`, creating account and key once; used for the dev key. */
export async function ensureAccountWithKey(sql: Queryable, accountName: string, key: string): Promise<Account> {
  const existing = await authenticateKey(sql, key);
  if (existing) return existing;
  const account = await createAccount(sql, accountName);
  await issueApiKey(sql, account.id, { key, name: 'dev' });
  return account;
}
