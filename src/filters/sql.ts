import { registryIdKey } from '../schemas/registry-id';
import type { Filters } from './params';
import { searchAlternatives } from './search-synonyms';

/** A piece of SQL with its bound parameters, composed without string-pasting any value. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** `column IN (…)` for a list filter that is set; null (no condition) when it is not. */
export function inList(column: string, values: readonly unknown[] | undefined): SqlPart | null {
  return values ? { sql: `${column} IN (${placeholders(values)})`, params: [...values] } : null;
}

function compare(column: string, op: '>=' | '<=', value: unknown): SqlPart | null {
  return value === undefined ? null : { sql: `${column} ${op} ?`, params: [value] };
}

export function and(parts: (SqlPart | null)[]): SqlPart {
  const present = parts.filter((p): p is SqlPart => p !== null);
  if (!present.length) return { sql: '1', params: [] };
  return { sql: present.map((p) => `(${p.sql})`).join(' AND '), params: present.flatMap((p) => p.params) };
}

const quoted = (phrase: string) => `"${phrase.replaceAll('"', '""')}"`;

/**
 * Turns plain words into an FTS5 query that matches them all: each word (or each run of words
 * that is a term of the synonym table) becomes an OR group of its forms, the groups ANDed. The
 * porter tokenizer matches each form's stem ("fracture" finds "fractures"); the table adds the
 * field's synonyms and abbreviations ("mesenchymal" finds "MSC"). Every form is quoted, so search
 * syntax (`*`, `"`, `NEAR`, `-`, `:`, parentheses) is taken literally and can never raise an error.
 */
export function ftsQuery(text: string): string | null {
  // Control characters (NUL above all) end an SQLite string early; they separate words instead.
  const words = text
    .replace(/\p{Cc}/gu, ' ')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (!words.length) return null;
  return searchAlternatives(words)
    .map((forms) => (forms.length === 1 ? quoted(forms[0] as string) : `(${forms.map(quoted).join(' OR ')})`))
    .join(' AND ');
}

/** Conditions on the trial row itself (alias `t`). */
export function trialConditions(f: Filters): SqlPart {
  const riskOfBias = f.riskOfBias
    ? (() => {
        const judged = f.riskOfBias.filter((v) => v !== 'NOT_ASSESSED');
        const parts: string[] = [];
        if (judged.length) parts.push(`t.risk_of_bias IN (${placeholders(judged)})`);
        if (judged.length < f.riskOfBias.length) parts.push('t.risk_of_bias IS NULL');
        return { sql: parts.join(' OR '), params: judged };
      })()
    : null;
  const fts = f.q === undefined ? null : ftsQuery(f.q);
  return and([
    f.phase
      ? {
          sql: `EXISTS (SELECT 1 FROM trial_phases p WHERE p.trial_id = t.id AND p.phase IN (${placeholders(f.phase)}))`,
          params: f.phase,
        }
      : null,
    inList('t.overall_status', f.status),
    inList('t.study_type', f.studyType),
    inList('t.allocation', f.allocation),
    inList('t.population', f.population),
    inList('t.provenance_kind', f.provenance),
    f.country
      ? {
          sql: `EXISTS (SELECT 1 FROM trial_countries c WHERE c.trial_id = t.id AND c.country IN (${placeholders(f.country)}))`,
          params: f.country,
        }
      : null,
    riskOfBias,
    f.registryId
      ? {
          sql: `EXISTS (SELECT 1 FROM registry_ids ri WHERE ri.trial_id = t.id AND ri.registry_id IN (${placeholders(f.registryId)}))`,
          params: f.registryId.map(registryIdKey),
        }
      : null,
    compare('t.enrollment_count', '>=', f.enrollmentMin),
    compare('t.enrollment_count', '<=', f.enrollmentMax),
    compare('t.start_year', '>=', f.startYearFrom),
    compare('t.start_year', '<=', f.startYearTo),
    f.updatedSince === undefined
      ? null
      : { sql: 't.updated_at >= ?', params: [new Date(f.updatedSince).toISOString()] },
    f.hasBmdResults === undefined
      ? null
      : { sql: 't.has_bmd_results = ?', params: [f.hasBmdResults ? 1 : 0] },
    f.q === undefined
      ? null
      : fts === null
        ? { sql: '0', params: [] }
        : { sql: 't.search_id IN (SELECT rowid FROM trials_fts WHERE trials_fts MATCH ?)', params: [fts] },
  ]);
}

/** The filters a cell-therapy arm must match (cellArmConditions). */
export const CELL_ARM_FILTERS = [
  'cellSource',
  'cellType',
  'donor',
  'route',
] as const satisfies readonly (keyof Filters)[];

/** The filters a result must match (resultConditions). */
export const RESULT_FILTERS = [
  'site',
  'metric',
  'method',
  'timepointMin',
  'timepointMax',
  'bmdChangeMin',
  'bmdChangeMax',
] as const satisfies readonly (keyof Filters)[];

export function hasCellFilters(f: Filters): boolean {
  return CELL_ARM_FILTERS.some((key) => f[key] !== undefined);
}

export function hasResultFilters(f: Filters): boolean {
  return RESULT_FILTERS.some((key) => f[key] !== undefined);
}

/** Whether the trial must have a cell-therapy arm the filters select: cell-arm filters, or a change bound (on a cell arm's result). */
export const needsCellArm = (f: Filters) =>
  hasCellFilters(f) || f.bmdChangeMin !== undefined || f.bmdChangeMax !== undefined;

/** A cell-therapy arm (alias `a`) matching every cell-arm filter at once. */
export function cellArmConditions(f: Filters, alias = 'a'): SqlPart {
  return and([
    { sql: `${alias}.cell_source IS NOT NULL`, params: [] },
    inList(`${alias}.cell_source`, f.cellSource),
    inList(`${alias}.cell_type`, f.cellType),
    inList(`${alias}.donor`, f.donor),
    inList(`${alias}.route`, f.route),
  ]);
}

/** A result (alias `r`) matching every result filter at once. */
export function resultConditions(f: Filters, alias = 'r'): SqlPart {
  return and([
    inList(`${alias}.site`, f.site),
    inList(`${alias}.metric`, f.metric),
    inList(`${alias}.method`, f.method),
    compare(`${alias}.timepoint_months`, '>=', f.timepointMin),
    compare(`${alias}.timepoint_months`, '<=', f.timepointMax),
    compare(`${alias}.mean`, '>=', f.bmdChangeMin),
    compare(`${alias}.mean`, '<=', f.bmdChangeMax),
  ]);
}

/** The trial has a control (non-cell) arm whose comparator is one of those asked for. */
function comparatorCondition(f: Filters): SqlPart | null {
  return f.comparator
    ? {
        sql: `EXISTS (SELECT 1 FROM arms ca WHERE ca.trial_id = t.id AND ca.cell_source IS NULL AND ca.comparator IN (${placeholders(f.comparator)}))`,
        params: f.comparator,
      }
    : null;
}

/**
 * An arm (alias `a`) the trial filters ask for: a cell-therapy arm matching every cell-arm filter
 * when there are any, with one result matching every result filter when there are any; null
 * when neither is asked for.
 */
export function selectedArmCondition(f: Filters): SqlPart | null {
  if (!needsCellArm(f) && !hasResultFilters(f)) return null;
  const arm = needsCellArm(f) ? cellArmConditions(f) : null;
  const results = resultConditions(f);
  const result = hasResultFilters(f)
    ? {
        sql: `EXISTS (SELECT 1 FROM bmd_results r WHERE r.arm_id = a.id AND ${results.sql})`,
        params: results.params,
      }
    : null;
  return and([arm, result]);
}

/**
 * Selects trials (alias `t`): used by /trials, /summaries/counts and the meta-analyses.
 * Cell-arm filters must hold on one cell-therapy arm, result filters on one result of such a
 * selected arm; `armType` asks only that the trial has an arm of that type. `armPartAs: 'in'`
 * writes the arm condition so SQLite drives the query from the arm index (best when few arms match).
 */
export function trialSelection(f: Filters, armPartAs: 'exists' | 'in' = 'exists'): SqlPart {
  const arm = selectedArmCondition(f);
  const armPart = arm
    ? armPartAs === 'in'
      ? { sql: `t.id IN (SELECT a.trial_id FROM arms a WHERE ${arm.sql})`, params: arm.params }
      : { sql: `EXISTS (SELECT 1 FROM arms a WHERE a.trial_id = t.id AND ${arm.sql})`, params: arm.params }
    : null;
  const armType = f.armType
    ? {
        sql: `EXISTS (SELECT 1 FROM arms at WHERE at.trial_id = t.id AND at.type IN (${placeholders(f.armType)}))`,
        params: f.armType,
      }
    : null;
  return and([trialConditions(f), armPart, comparatorCondition(f), armType]);
}

/**
 * Selects arms (alias `a`, joined to their trial `t`) for the per-arm endpoints. `cellOnly`
 * restricts to cell-therapy arms (as the BMD-change summary does) even without cell filters.
 */
export function armSelection(f: Filters, cellOnly: boolean): SqlPart {
  return and([
    trialConditions(f),
    comparatorCondition(f),
    cellOnly || needsCellArm(f) ? cellArmConditions(f) : null,
    inList('a.type', f.armType),
  ]);
}
