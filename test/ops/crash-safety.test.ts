import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { killServer, type ServerProcess, spawnServer } from '../helpers/start-server';
import { trialBody } from '../helpers/trial-fixtures';
import { historyProblems, liveVersions } from './catalogue-checks';
import { integrityCheck, prepareDatabase } from './database-file';

/**
 * Kills the real server with SIGKILL at random points while it takes writes and large atomic
 * writes (POST /imports bundles and many-armed trials), restarts it on the same file, and checks that nothing answered 2xx was lost, that no
 * batch is half-written, and that every trial's history is whole. Bounded: ROUNDS rounds, each
 * with writes for at most a second.
 */
const ROUNDS = 5;
const WRITERS = 4;
const BATCH_TRIALS = 150;
const BIG_ARMS = 40;

const dir = mkdtempSync(join(tmpdir(), 'catalogue-crash-'));
const databasePath = join(dir, 'catalogue.db');
let server: ServerProcess | undefined;
afterAll(async () => {
  await killServer(server);
  rmSync(dir, { recursive: true, force: true });
});

/** A small seeded generator (mulberry32), so a failing round can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the server acknowledged with a 2xx, so must survive any crash after the answer. */
interface Acknowledged {
  versions: Map<string, number>;
  deleted: Set<string>;
  /** Deletes sent but not answered (the server died meanwhile): the trial may or may not be gone. */
  deleting: Set<string>;
  batches: Set<string>;
}

/** A batch of trials written in one transaction: every registry id, and each trial's arm count. */
interface Batch {
  prefix: string;
  registryIds: string[];
  arms: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function batchOf(round: number, serial: number, size: number, arms: number): Batch {
  const prefix = `NCT8${round}${pad(serial, 3)}`;
  return { prefix, registryIds: Array.from({ length: size }, (_, i) => `${prefix}${pad(i, 3)}`), arms };
}

const cellArm = (label: string) => ({
  label,
  type: 'EXPERIMENTAL' as const,
  participants: 10,
  cellSource: 'BONE_MARROW' as const,
  cellType: 'MSC' as const,
  donor: 'AUTOLOGOUS' as const,
  route: 'INTRAVENOUS' as const,
});

function batchTrial(registryId: string, arms: number) {
  const labels = Array.from({ length: arms }, (_, i) => `Arm ${i + 1}`);
  return trialBody({
    registryIds: [registryId],
    title: `Batch trial ${registryId}`,
    arms: labels.map(cellArm),
    bmdResults: labels.map((armLabel, i) => ({
      armLabel,
      site: 'LUMBAR_SPINE' as const,
      metric: 'PERCENT_CHANGE' as const,
      method: 'DXA' as const,
      timepointMonths: 12,
      n: 10,
      mean: i / 10,
      sd: 1,
    })),
  });
}

/** A write refused as busy (an import holds the database) changed nothing, so it is sent again. */
const BUSY_RETRIES = 300;

async function send(
  url: string,
  init: RequestInit & { json?: unknown },
  secret: string,
): Promise<Response | null> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.headers as Record<string, string>),
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
    } catch {
      return null; // the server died mid-request: the write may or may not have happened
    }
    if (res.status !== 503 || attempt >= BUSY_RETRIES) return res;
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Creates, replaces and sometimes deletes trials until the server dies or `stop()` says so. */
async function writer(base: string, secret: string, ack: Acknowledged, tag: string, stop: () => boolean) {
  for (let i = 0; i < 200 && !stop(); i++) {
    const created = await send(
      `${base}/trials`,
      { method: 'POST', json: trialBody({ title: `${tag}-${i}` }) },
      secret,
    );
    if (!created) return;
    if (created.status !== 201) throw new Error(`create answered ${created.status}`);
    const { id } = (await created.json()) as { id: string };
    ack.versions.set(id, 1);
    const replaced = await send(
      `${base}/trials/${id}`,
      { method: 'PUT', headers: { 'if-match': '"v1"' }, json: trialBody({ title: `${tag}-${i} replaced` }) },
      secret,
    );
    if (!replaced) return;
    if (replaced.status !== 200) throw new Error(`replace answered ${replaced.status}`);
    ack.versions.set(id, 2);
    if (i % 3 === 0) {
      ack.deleting.add(id);
      const removed = await send(`${base}/trials/${id}`, { method: 'DELETE' }, secret);
      if (!removed) return;
      ack.deleting.delete(id);
      if (removed.status !== 204) throw new Error(`delete answered ${removed.status}`);
      ack.deleted.add(id);
    }
  }
}

/** Sends large atomic writes in turn: a bundle import of many trials, then one trial with many arms. */
async function batches(
  base: string,
  secret: string,
  round: number,
  sent: Batch[],
  ack: Acknowledged,
  stop: () => boolean,
) {
  for (let serial = 0; serial < 50 && !stop(); serial++) {
    const useImports = serial % 2 === 0;
    const batch = useImports ? batchOf(round, serial, BATCH_TRIALS, 2) : batchOf(round, serial, 1, BIG_ARMS);
    sent.push(batch);
    const res = useImports
      ? await send(
          `${base}/imports?format=bundle`,
          { method: 'POST', json: { trials: batch.registryIds.map((r) => batchTrial(r, batch.arms)) } },
          secret,
        )
      : await send(
          `${base}/trials`,
          { method: 'POST', json: batchTrial(batch.registryIds[0] as string, batch.arms) },
          secret,
        );
    if (!res) return;
    if (res.status >= 300) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
    ack.batches.add(batch.prefix);
  }
}

/** For one batch: how many of its trials are stored, and whether each stored one is complete. */
function batchState(path: string, batch: Batch): { present: number; incomplete: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT r.registry_id AS registryId,
           (SELECT count(*) FROM arms a WHERE a.trial_id = r.trial_id) AS arms,
           (SELECT count(*) FROM bmd_results b WHERE b.trial_id = r.trial_id) AS results
         FROM registry_ids r WHERE r.registry_id LIKE ?`,
      )
      .all(`${batch.prefix}%`) as { registryId: string; arms: number; results: number }[];
    return {
      present: rows.length,
      incomplete: rows
        .filter((r) => r.arms !== batch.arms || r.results !== batch.arms)
        .map((r) => r.registryId),
    };
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(`survives ${ROUNDS} rounds of SIGKILL during writes and large atomic writes`, async () => {
    const secret = prepareDatabase(databasePath, 'admin');
    const ack: Acknowledged = {
      versions: new Map(),
      deleted: new Set(),
      deleting: new Set(),
      batches: new Set(),
    };
    const sent: Batch[] = [];
    const next = random(20_240_601);

    for (let round = 1; round <= ROUNDS + 1; round++) {
      server = await spawnServer(databasePath);

      // After every restart: the file is whole and every acknowledged write is there.
      expect(integrityCheck(databasePath), `round ${round}`).toBe('ok');
      expect(historyProblems(databasePath), `round ${round}`).toEqual([]);
      const live = liveVersions(databasePath);
      for (const [id, version] of ack.versions) {
        if (ack.deleted.has(id)) expect(live.has(id), `${id} was deleted`).toBe(false);
        else if (ack.deleting.has(id) && !live.has(id)) ack.deleted.add(id);
        else expect(live.get(id) ?? 0, `${id} acknowledged at v${version}`).toBeGreaterThanOrEqual(version);
      }
      for (const batch of sent) {
        const state = batchState(databasePath, batch);
        expect(state.incomplete, batch.prefix).toEqual([]);
        if (ack.batches.has(batch.prefix)) expect(state.present, batch.prefix).toBe(batch.registryIds.length);
        else expect([0, batch.registryIds.length], batch.prefix).toContain(state.present);
      }
      const sample = [...ack.versions.keys()].find((id) => !ack.deleted.has(id));
      if (sample) expect((await fetch(`${server.url}/trials/${sample}`)).status).toBe(200);
      if (round > ROUNDS) break;

      let stopped = false;
      const stop = () => stopped;
      const base = server.url;
      const work = [
        ...Array.from({ length: WRITERS }, (_, w) => writer(base, secret, ack, `r${round}w${w}`, stop)),
        batches(base, secret, round, sent, ack, stop),
      ];
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(next() * 750)));
      await killServer(server, 'SIGKILL');
      stopped = true;
      await Promise.all(work);
    }

    expect(ack.versions.size).toBeGreaterThan(ROUNDS); // the rounds did write
    expect(sent.length).toBeGreaterThan(ROUNDS);
    await killServer(server, 'SIGTERM');
  }, 180_000);
});
