import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for ClinicalTrials.gov API v2 `/studies`, on 127.0.0.1 only, so no test ever asks
 * the real registry. It answers v2's page shape (`totalCount` when `countTotal=true`, `studies`,
 * `nextPageToken` except on the last page), honours `pageSize` up to its own maximum and the
 * `AREA[LastUpdatePostDate]RANGE[date,MAX]` filter, and can be told to misbehave for the next
 * requests: an error status (with `Retry-After`), no answer at all, or a malformed page.
 */
export type Fault =
  /** Answers normally (to let earlier pages through before a fault). */
  | 'ok'
  | { status: number; retryAfter?: string }
  /** Never answers: the client's timeout has to end the request. */
  | 'hang'
  /** 200 with a body that is not JSON. */
  | 'not-json'
  /** 200 with JSON that keeps nextPageToken but has no studies list. */
  | 'no-studies-list';

const SINCE_FILTER = /^AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]$/;

/** The record's last update date; one without (synthetic NCT99999903) counts as updated today. */
const lastUpdate = (study: object): string =>
  (study as { protocolSection?: { statusModule?: { lastUpdatePostDateStruct?: { date?: string } } } })
    .protocolSection?.statusModule?.lastUpdatePostDateStruct?.date ?? '9999';

export class RegistryStandIn {
  /** The query string of every request received, in order. */
  readonly requests: URLSearchParams[] = [];
  /** Faults for the next requests, one each, in order. */
  readonly faults: Fault[] = [];
  /** A fault for every request once `faults` is empty (e.g. a registry that is down). */
  always: Fault | null = null;
  private server: Server | null = null;
  private port = 0;

  constructor(
    /** The registry's records; tests may change them between syncs ("upstream"). */
    public studies: object[],
    private readonly maxPageSize: number,
  ) {}

  /** The base address to give as CTGOV_API_URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v2`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Requests for one page, retries included, keyed by the page token ('' for the first page). */
  requestsFor(pageToken: string): number {
    return this.requests.filter((q) => (q.get('pageToken') ?? '') === pageToken).length;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    this.requests.push(url.searchParams);
    const fault = this.faults.shift() ?? this.always;
    if (fault === 'hang') return;
    if (typeof fault === 'object' && fault !== null) {
      res.writeHead(fault.status, {
        'content-type': 'text/plain',
        ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
      });
      res.end(`stand-in fault ${fault.status}`);
      return;
    }
    const page = url.pathname === '/api/v2/studies' ? this.page(url.searchParams) : 'not found';
    if (typeof page === 'string') {
      this.send(res, page === 'not found' ? 404 : 400, { message: page });
    } else if (fault === 'not-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>upstream proxy error</html>');
    } else {
      this.send(res, 200, fault === 'no-studies-list' ? { nextPageToken: page.nextPageToken } : page);
    }
  }

  /** The page v2 would answer, or why v2 would refuse the request. */
  private page(params: URLSearchParams) {
    if (params.get('format') !== 'json') return 'format must be json';
    const filter = params.get('filter.advanced');
    const since = filter === null ? null : (SINCE_FILTER.exec(filter)?.[1] ?? undefined);
    if (since === undefined) return `unsupported filter.advanced ${filter}`;
    const matching = this.studies.filter((s) => since === null || lastUpdate(s) >= since);
    const size = Math.min(Number(params.get('pageSize') ?? 10), this.maxPageSize);
    const token = params.get('pageToken');
    const offset =
      token === null ? 0 : Number(Buffer.from(token, 'base64url').toString().replace('offset:', ''));
    if (!Number.isInteger(offset)) return 'unknown pageToken';
    const next = offset + size;
    return {
      ...(params.get('countTotal') === 'true' ? { totalCount: matching.length } : {}),
      studies: matching.slice(offset, next),
      ...(next < matching.length
        ? { nextPageToken: Buffer.from(`offset:${next}`).toString('base64url') }
        : {}),
    };
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

const fixture = (dir: string, file: string): object =>
  JSON.parse(readFileSync(new URL(`../fixtures/${dir}/${file}.json`, import.meta.url), 'utf8')) as object;

/** The real ClinicalTrials.gov records of test/fixtures/ctgov (none on the catalogue's topic). */
export const realStudies = (): object[] =>
  ['NCT00763412', 'NCT02210780', 'NCT02513394', 'NCT05594173'].map((id) => fixture('ctgov', id));

/** The SYNTHETIC records of test/fixtures/ctgov-synthetic (on topic: bone condition, cell arm). */
export const syntheticStudies = (): object[] =>
  ['NCT99999901', 'NCT99999902', 'NCT99999903'].map((id) => fixture('ctgov-synthetic', id));
