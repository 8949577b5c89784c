import countries from 'i18n-iso-countries';
import { z } from 'zod';
import { type VocabularyName, vocabularies } from '../vocabularies';
// Installs the plain-English wording of validation messages wherever a schema is used.
import './issue-messages';

/** A zod enum for one vocabulary, with its labels in the description so the docs list them. */
export function vocabEnum<N extends VocabularyName>(name: N) {
  const { values, labels } = vocabularies[name];
  const described = Object.entries(labels)
    .map(([value, label]) => `\`${value}\`: ${label}`)
    .join('; ');
  return z.enum(values as (typeof vocabularies)[N]['values']).meta({ description: described });
}

/**
 * A yes/no query parameter: exactly `true` or `false`, as its message says (not zod's wider
 * "1", "yes", "on"… or other letter cases), and as the document lists it (`enum: [true, false]`).
 */
export const trueOrFalse = () =>
  z.enum(['true', 'false'], { error: () => 'must be true or false' }).transform((value) => value === 'true');

const WHOLE_NUMERAL = /^-?[0-9]+$/;
const DECIMAL_NUMERAL = /^-?[0-9]+(?:\.[0-9]+)?$/;

/**
 * Query and path parameters arrive as text. Only a plain decimal numeral becomes its number;
 * anything else (empty, `0x10`, `+5`, `5.`, `1e1`, ` 5`) stays text and fails the number schema,
 * where `Number()` would have read most of them as some number.
 */
const numeralAs = (numeral: RegExp) => (raw: unknown) =>
  typeof raw === 'string' && numeral.test(raw) ? Number(raw) : raw;

/** An integer parameter: digits with an optional leading `-`, then `schema`'s range and messages. */
export const wholeNumberText = <T extends z.ZodType>(schema: T) =>
  z.preprocess(numeralAs(WHOLE_NUMERAL), schema);

/** A number parameter: digits with an optional `-` and decimal part (`1.5`, not `.5`, `5.` or `1e1`). */
export const decimalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess(numeralAs(DECIMAL_NUMERAL), schema);

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** True for `YYYY`, `YYYY-MM` and `YYYY-MM-DD` strings naming a real calendar date. */
export function isPartialDate(value: string): boolean {
  const match = PARTIAL_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  const lastDay = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d >= 1 && d <= lastDay;
}

export const PartialDate = z
  .string()
  .refine(isPartialDate, { message: 'must be a partial ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD' })
  .meta({ example: '2015-09' });

export const CountryCode = z
  .string()
  .refine((code) => /^[A-Z]{2}$/.test(code) && countries.isValid(code), {
    message: 'must be an ISO 3166-1 alpha-2 code in upper case, such as ES',
  })
  .meta({ example: 'ES' });

/** Ids are opaque and URL-safe; a bundle record may bring its own, which is kept on create. */
export const RecordId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 URL-safe characters (letters, digits, _ or -)');

export const NCT_ID = /^NCT\d{8}$/;

export { RegistryId, registryIdKey } from './registry-id';

/** Accepts a read-only field in a write body (so a GET body can be PUT back) and drops it. */
export const ReadOnly = z.unknown().optional().meta({ description: 'Read-only; ignored on write.' });

export const OneDecimal = z
  .number()
  .min(0)
  .max(1200)
  .refine((x) => Math.abs(x * 10 - Math.round(x * 10)) < 1e-9, { message: 'must have at most one decimal' });
