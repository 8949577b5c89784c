import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runApiKeyCommand } from '../../src/cli/apikey';
import { closeDatabase, type Db, openDatabase } from '../../src/db/client';
import {
  ApiKeyError,
  createApiKey,
  hashSecret,
  listApiKeys,
  revokeApiKey,
  verifyApiKey,
} from '../../src/store/api-keys';
import { freshDb } from '../helpers/build-test-app';
import { allStoredText } from './support';

let db: Db;
afterEach(() => db?.$client.open && db.$client.close());

function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runApiKeyCommand(db, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('the key store', () => {
  it('returns a long prefixed secret once and stores only its SHA-256', () => {
    db = freshDb();
    const { key, secret } = createApiKey(db, 'curator', 'editor');
    expect(secret).toMatch(/^sck_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'curator', role: 'editor', lastUsedAt: null, revokedAt: null });
    expect(key).not.toHaveProperty('secretHash');
    const stored = allStoredText(db);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(4));
    expect(stored).toContain(hashSecret(secret));
    expect(createApiKey(db, 'other', 'admin').secret).not.toBe(secret);
  });

  it('verifies a live key, records its use, and refuses unknown, malformed and revoked ones', () => {
    db = freshDb();
    const { secret } = createApiKey(db, 'curator', 'editor');
    const used = verifyApiKey(db, secret, new Date('2030-01-02T03:04:05Z'));
    expect(used).toMatchObject({ name: 'curator', role: 'editor', lastUsedAt: '2030-01-02T03:04:05.000Z' });
    expect(listApiKeys(db)[0]?.lastUsedAt).toBe('2030-01-02T03:04:05.000Z');
    expect(verifyApiKey(db, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(verifyApiKey(db, secret.slice(4))).toBeNull();
    expect(verifyApiKey(db, '')).toBeNull();
    expect(revokeApiKey(db, 'curator')).toBe(true);
    expect(verifyApiKey(db, secret)).toBeNull();
    expect(revokeApiKey(db, 'curator')).toBe(false);
    expect(revokeApiKey(db, 'nobody')).toBe(false);
  });

  it('refuses a reused name, a bad name and an unknown role', () => {
    db = freshDb();
    createApiKey(db, 'curator', 'editor');
    expect(() => createApiKey(db, 'curator', 'admin')).toThrow(ApiKeyError);
    expect(() => createApiKey(db, 'has space', 'admin')).toThrow(ApiKeyError);
    expect(() => createApiKey(db, 'x', 'owner' as 'admin')).toThrow(ApiKeyError);
    expect(listApiKeys(db)).toHaveLength(1);
  });
});

describe('the apikey command', () => {
  it('create prints the secret alone on the last line, and that secret authenticates', () => {
    db = freshDb();
    const { code, out } = cli(['create', '--name', 'alice', '--role', 'admin']);
    expect(code).toBe(0);
    const secret = out.at(-1) as string;
    expect(secret).toMatch(/^sck_[A-Za-z0-9_-]{43}$/);
    expect(out.slice(0, -1).join('\n')).not.toContain(secret);
    expect(verifyApiKey(db, secret)).toMatchObject({ name: 'alice', role: 'admin' });
  });

  it('list shows keys without secrets or hashes; revoke stops a key', () => {
    db = freshDb();
    const secret = cli(['create', '--name', 'alice', '--role', 'editor']).out.at(-1) as string;
    cli(['create', '--name', 'bob', '--role', 'admin']);
    const listed = cli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^NAME\s+ROLE\s+CREATED\s+LAST USED\s+REVOKED$/);
    expect(listed.out.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['alice', 'editor'],
      ['bob', 'admin'],
    ]);
    expect(listed.out.join('\n')).not.toContain(hashSecret(secret));
    expect(cli(['revoke', 'alice']).code).toBe(0);
    expect(verifyApiKey(db, secret)).toBeNull();
    expect(cli(['list']).out[1]).toMatch(/^alice\s+editor\s+\S+\s+-\s+\d{4}-/);
  });

  it('explains usage errors on stderr with a non-zero exit', () => {
    db = freshDb();
    expect(cli([]).code).toBe(2);
    expect(cli(['create', '--name', 'x']).err[0]).toContain('--name and --role');
    expect(cli(['create', '--name', 'x', '--role', 'owner']).err[0]).toContain('editor, admin');
    expect(cli(['create', '--name', 'x', '--role', 'admin', '--oops']).code).toBe(1);
    cli(['create', '--name', 'x', '--role', 'admin']);
    expect(cli(['create', '--name', 'x', '--role', 'admin'])).toMatchObject({ code: 1 });
    expect(cli(['revoke', 'ghost']).err[0]).toContain('No live key');
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('runs as `npm run apikey` against the configured database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apikey-cli-'));
    const databasePath = join(dir, 'catalogue.db');
    try {
      const { stdout } = await promisify(execFile)(
        'npm',
        ['run', '--silent', 'apikey', '--', 'create', '--name', 'first', '--role', 'editor'],
        { env: { ...process.env, DATABASE_PATH: databasePath } },
      );
      const secret = stdout.trimEnd().split('\n').at(-1) as string;
      expect(secret).toMatch(/^sck_[A-Za-z0-9_-]{43}$/);
      db = openDatabase(databasePath);
      expect(verifyApiKey(db, secret)).toMatchObject({ name: 'first', role: 'editor' });
      closeDatabase(db);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
