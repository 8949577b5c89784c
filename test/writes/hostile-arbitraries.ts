import fc from 'fast-check';
import { vocabularies } from '../../src/vocabularies';
import { trialBody } from '../helpers/trial-fixtures';

/** Every enum value the service knows, so some generated filters are valid and reach the queries. */
const VOCABULARY_VALUES = [...new Set(Object.values(vocabularies).flatMap((v) => [...v.values]))];

/** Strings meant to break things: SQL and FTS syntax, markup, control characters, edge numbers. */
const NASTY = [
  "' OR 1=1 --",
  '"; DROP TABLE trials; --',
  "Robert'); DELETE FROM revisions; --",
  'NEAR(a b)',
  '"unterminated',
  'title:stem* AND (',
  '*',
  '^',
  '\u0000',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '$' + '{jndi:ldap://x}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  '９９',
  '\u202e\u0644\u0627',
  '\ud800',
  'e\u0301\u0301\u0301',
  '🦴💉',
  '2015-02-30',
  'NCT0000000A',
  '',
  ' ',
];

export const hostileString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.integer({ min: 1, max: 400 }).map((n) => '9'.repeat(n)),
);

/** Printable ASCII only: what a client can put in a header or a raw URL. */
export const headerSafeString = fc.oneof(
  fc.constantFrom("' OR 1=1 --", '*', 'W/"v1"', '"v1"', '"v0", "v1"', '', 'Bearer', 'text/csv', '\\'),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

export const edgeNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.05,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e308,
    1e-308,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Arrays nested far deeper than any record, as a JSON value. */
const deepArray = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
});

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  edgeNumber,
  fc.constantFrom(null, true, false, [], {}),
  deepArray,
  fc.array(hostileString, { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
);

/** Where in a valid Trial a hostile value is put. */
const FIELD_PATHS: (string | number)[][] = [
  ['title'],
  ['briefSummary'],
  ['studyType'],
  ['phases'],
  ['phases', 0],
  ['startDate'],
  ['completionDate'],
  ['registryIds'],
  ['registryIds', 0],
  ['countries', 0],
  ['enrollment'],
  ['enrollment', 'count'],
  ['sponsor'],
  ['baseline', 'meanAge'],
  ['arms'],
  ['arms', 0],
  ['arms', 0, 'id'],
  ['arms', 0, 'label'],
  ['arms', 0, 'participants'],
  ['arms', 0, 'dose', 'cellsPerKg'],
  ['arms', 1, 'comparator'],
  ['arms', 0, 'cointerventions'],
  ['bmdResults'],
  ['bmdResults', 0, 'armLabel'],
  ['bmdResults', 0, 'armId'],
  ['bmdResults', 0, 'n'],
  ['bmdResults', 0, 'mean'],
  ['bmdResults', 0, 'sd'],
  ['bmdResults', 0, 'ciLower'],
  ['bmdResults', 0, 'timepointMonths'],
  ['references', 0, 'url'],
  ['references', 0, 'doi'],
  ['riskOfBias'],
  ['provenance', 'sources'],
  ['version'],
  ['id'],
];

function validBody() {
  return trialBody({
    registryIds: ['NCT05555555'],
    countries: ['ES'],
    enrollment: { count: 40, type: 'ACTUAL' },
    baseline: { meanAge: 64 },
    arms: [
      {
        label: 'Cells',
        type: 'EXPERIMENTAL',
        participants: 20,
        cellSource: 'UMBILICAL_CORD',
        cellType: 'MSC',
        donor: 'ALLOGENEIC',
        route: 'INTRAVENOUS',
        dose: { cellsPerKg: 1e6 },
      },
      { label: 'Control', type: 'PLACEBO_COMPARATOR', participants: 20, comparator: 'PLACEBO' },
    ],
    bmdResults: [
      {
        armLabel: 'Cells',
        site: 'TOTAL_HIP',
        metric: 'PERCENT_CHANGE',
        timepointMonths: 12,
        n: 20,
        mean: 2,
        sd: 1,
      },
    ],
    references: [{ citation: 'A reference', doi: '10.1000/xyz', url: 'https://example.org/a' }],
  }) as Record<string, unknown>;
}

function setAt(target: Record<string, unknown>, path: (string | number)[], value: unknown) {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (node !== null && typeof node === 'object')
    (node as Record<string | number, unknown>)[path.at(-1) as string | number] = value;
}

/** A valid trial with a few fields made hostile, unknown keys added or fields dropped. */
const mutatedTrial = fc
  .record({
    edits: fc.array(fc.tuple(fc.constantFrom(...FIELD_PATHS), hostileValue), { minLength: 1, maxLength: 3 }),
    extra: fc.option(fc.tuple(hostileString, hostileValue), { nil: undefined }),
    drop: fc.option(fc.constantFrom('title', 'arms', 'provenance', 'studyType'), { nil: undefined }),
  })
  .map(({ edits, extra, drop }) => {
    const body = validBody();
    for (const [path, value] of edits) setAt(body, path, value);
    if (extra) body[extra[0]] = extra[1];
    if (drop) delete body[drop];
    return JSON.stringify(body);
  });

/** A body that is valid but for its free text, which is hostile: it should be stored exactly. */
export const hostileTextTrial = fc
  .record({
    title: hostileString,
    briefSummary: hostileString,
    sponsor: hostileString,
    label: hostileString,
    note: hostileString,
    citation: hostileString,
  })
  .map(({ title, briefSummary, sponsor, label, note, citation }) => {
    const body = validBody();
    Object.assign(body, { title, briefSummary, sponsor, registryIds: [] });
    setAt(body, ['arms', 0, 'label'], label);
    setAt(body, ['bmdResults', 0, 'armLabel'], label);
    setAt(body, ['bmdResults', 0, 'note'], note);
    setAt(body, ['references', 0, 'citation'], citation);
    return JSON.stringify(body);
  });

/** Request bodies as raw text: mostly JSON, sometimes not JSON at all. */
export const hostileBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: mutatedTrial },
  { weight: 3, arbitrary: hostileTextTrial },
  { weight: 2, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{"title":', '{"__proto__":{"x":1}}', '{}{}', '\u0000', '[', 'nul'),
  },
  { weight: 1, arbitrary: hostileString },
);

/** A query string of known and unknown parameters, single or repeated, sometimes with raw junk. */
export function hostileQuery(knownNames: string[]): fc.Arbitrary<string> {
  const name = knownNames.length
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...knownNames) },
        { weight: 1, arbitrary: hostileString },
      )
    : hostileString;
  const value = fc.oneof(
    hostileString,
    edgeNumber.map(String),
    fc.constantFrom('true', 'false', 'csv', '2015', '-startDate', 'title', 'MD', 'SMD', 'REML', 'knha'),
    fc.constantFrom(...VOCABULARY_VALUES),
    fc.array(fc.constantFrom(...VOCABULARY_VALUES), { minLength: 2, maxLength: 3 }).map((v) => v.join(',')),
  );
  const plausible = knownNames.length
    ? fc.array(fc.tuple(fc.constantFrom(...knownNames), fc.constantFrom(...VOCABULARY_VALUES)), {
        maxLength: 3,
      })
    : fc.constant([]);
  return fc
    .record({
      pairs: fc.oneof(fc.array(fc.tuple(name, value), { maxLength: 6 }), plausible),
      raw: fc.option(fc.constantFrom('%', '%zz', '%E0%A4%A', '=&=', 'a[b]=c', '&&', '+', 'limit=1&limit=2'), {
        nil: undefined,
      }),
    })
    .map(({ pairs, raw }) => {
      const encoded = new URLSearchParams(pairs).toString();
      const all = [encoded, raw].filter(Boolean).join('&');
      return all ? `?${all}` : '';
    });
}
