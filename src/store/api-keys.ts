import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import { isLockHeld } from '../db/busy';
import type { Db } from '../db/client';
import { apiKeys } from '../db/schema';

export const API_KEY_ROLES = ['editor', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Recognisable in logs, config files and secret scanners; never stored. */
export const SECRET_PREFIX = 'sck_';
/** 'sck_' + 32 random bytes in base64url (43 characters). */
const SECRET_PATTERN = /^sck_[A-Za-z0-9_-]{43}$/;
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What the service knows about a key: everything except the secret, which it never had. */
export interface ApiKey {
  id: number;
  name: string;
  role: ApiKeyRole;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export class ApiKeyError extends Error {}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function isApiKeyRole(role: string): role is ApiKeyRole {
  return (API_KEY_ROLES as readonly string[]).includes(role);
}

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/** Creates a key and returns its secret: the only time anyone sees it. */
export function createApiKey(
  db: Db,
  name: string,
  role: ApiKeyRole,
  now = new Date(),
): { key: ApiKey; secret: string } {
  if (!KEY_NAME_PATTERN.test(name))
    throw new ApiKeyError(
      'A key name is 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    );
  if (!isApiKeyRole(role)) throw new ApiKeyError(`A role is one of: ${API_KEY_ROLES.join(', ')}.`);
  const existing = db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.name, name)).get();
  if (existing) throw new ApiKeyError(`A key named "${name}" already exists; names are never reused.`);
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  try {
    const key = db
      .insert(apiKeys)
      .values({ name, role, secretHash: hashSecret(secret), createdAt: now.toISOString() })
      .returning(publicColumns)
      .get();
    return { key: key as ApiKey, secret };
  } catch (error) {
    // Another process created the same name between the check and the insert.
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
      throw new ApiKeyError(`A key named "${name}" already exists; names are never reused.`);
    throw error;
  }
}

export function listApiKeys(db: Db): ApiKey[] {
  return db.select(publicColumns).from(apiKeys).orderBy(asc(apiKeys.name)).all() as ApiKey[];
}

/** Revokes a key by name; false when no live key has that name. Revoked keys stay listed. */
export function revokeApiKey(db: Db, name: string, now = new Date()): boolean {
  const key = db.select(publicColumns).from(apiKeys).where(eq(apiKeys.name, name)).get();
  if (!key || key.revokedAt !== null) return false;
  db.update(apiKeys).set({ revokedAt: now.toISOString() }).where(eq(apiKeys.id, key.id)).run();
  return true;
}

/**
 * The live key a presented secret belongs to, or null (unknown, malformed or revoked); a read
 * alone. The lookup is by hash, so timing reveals nothing about stored secrets; the final
 * comparison is constant-time all the same.
 */
export function findLiveKey(db: Db, presented: string): ApiKey | null {
  if (!SECRET_PATTERN.test(presented)) return null;
  const hash = hashSecret(presented);
  const row = db
    .select({ ...publicColumns, secretHash: apiKeys.secretHash })
    .from(apiKeys)
    .where(eq(apiKeys.secretHash, hash))
    .get();
  if (!row || !timingSafeEqual(Buffer.from(row.secretHash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  if (row.revokedAt !== null) return null;
  const { secretHash: _hash, ...key } = row;
  return key as ApiKey;
}

/**
 * Stores that a key was used at `at` (never moving the time back, should another process have
 * stored a later one). False when another connection holds the write lock: recording use is best
 * effort, and waits no longer than the connection's busy timeout.
 */
export function recordKeyUse(db: Db, keyId: number, at: string): boolean {
  try {
    db.update(apiKeys)
      .set({ lastUsedAt: at })
      .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, at))))
      .run();
    return true;
  } catch (error) {
    if (isLockHeld(error)) return false;
    throw error;
  }
}

/** The live key a presented secret belongs to, or null; records the use at once (see KeyUseLog for the server's way). */
export function verifyApiKey(db: Db, presented: string, now = new Date()): ApiKey | null {
  const key = findLiveKey(db, presented);
  if (!key) return null;
  const lastUsedAt = now.toISOString();
  return recordKeyUse(db, key.id, lastUsedAt) ? { ...key, lastUsedAt } : key;
}
