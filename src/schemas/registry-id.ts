import { z } from 'zod';

/**
 * Registry ids: one number of one registry must name one trial, however it was typed. An id is
 * normalised (Unicode NFKC, trimmed, upper case), and only then checked: NFKC folds full-width
 * letters to ASCII but keeps look-alikes such as the Cyrillic "Ѕ", and invisible characters (zero-
 * width space, NUL, tab, line feed) survive it, so the ASCII rule must hold on the normalised id.
 */

interface KnownRegistry {
  /** The prefix as the registry spells it (ChiCTR), which the stored id keeps. */
  prefix: string;
  /** The whole id, upper case. */
  pattern: RegExp;
  /** What the id must look like, in a message. */
  format: string;
}

/** The registries whose numbering is documented; an id with their prefix must follow it. */
export const KNOWN_REGISTRIES: readonly KnownRegistry[] = [
  { prefix: 'NCT', pattern: /^NCT\d{8}$/, format: 'NCT followed by 8 digits, such as NCT02566655' },
  {
    prefix: 'ISRCTN',
    pattern: /^ISRCTN\d{8}$/,
    format: 'ISRCTN followed by 8 digits, such as ISRCTN12345678',
  },
  {
    prefix: 'ChiCTR',
    pattern: /^CHICTR(?:-[A-Z]{2,5}-)?\d{8,10}$/,
    format: 'ChiCTR followed by 8 to 10 digits, such as ChiCTR2000030001 or ChiCTR-IOR-15006000',
  },
  {
    prefix: 'IRCT',
    pattern: /^IRCT\d{4,}(?:N\d{1,3})?$/,
    format: 'IRCT followed by digits and an optional N and serial, such as IRCT20150523022402N1',
  },
  {
    prefix: 'EUCTR',
    pattern: /^EUCTR\d{4}-\d{6}-\d{2}(?:-[A-Z]{2})?$/,
    format: 'EUCTR followed by yyyy-nnnnnn-nn and an optional country code, such as EUCTR2004-000446-20-GB',
  },
  {
    prefix: 'ACTRN',
    pattern: /^ACTRN\d{14}$/,
    format: 'ACTRN followed by 14 digits, such as ACTRN12610000123456',
  },
  { prefix: 'DRKS', pattern: /^DRKS\d{8}$/, format: 'DRKS followed by 8 digits, such as DRKS00012345' },
  {
    prefix: 'JPRN',
    pattern: /^JPRN-[A-Z]+(?:-[A-Z]+)?-?\d{6,}$/,
    format: 'JPRN- followed by the source registry and its number, such as JPRN-UMIN000012345',
  },
  { prefix: 'KCT', pattern: /^KCT\d{7}$/, format: 'KCT followed by 7 digits, such as KCT0001234' },
  {
    prefix: 'CTRI',
    pattern: /^CTRI\/\d{4}\/\d{2,3}\/\d{6}$/,
    format: 'CTRI/yyyy/mm/nnnnnn, such as CTRI/2020/05/025000',
  },
];

/** Any other registry's id, once normalised: ASCII letters and digits, with `-` or `/` inside. */
const ASCII_ID = /^[A-Z0-9](?:[A-Z0-9/-]*[A-Z0-9])?$/;

/** NFKC, trimmed, upper case: the form ids are compared in (and stored in, bar a known prefix). */
export function normaliseRegistryId(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase();
}

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a normalised id is refused, or null when it is a valid id. */
function problemOf(id: string): string | null {
  const foreign = [...id].find((char) => !/[A-Z0-9/-]/.test(char));
  if (foreign !== undefined)
    return (
      `a registry id may hold only ASCII letters, digits, "-" and "/"; found ${codePoint(foreign)}` +
      ' (look-alike letters and invisible or control characters are refused)'
    );
  if (id.length < 3 || id.length > 64) return 'a registry id must be 3 to 64 characters long';
  const known = KNOWN_REGISTRIES.find((registry) => id.startsWith(registry.prefix.toUpperCase()));
  if (known && !known.pattern.test(id))
    return `a registry id starting ${known.prefix} must be ${known.format}`;
  if (!ASCII_ID.test(id)) return 'a registry id must start and end with a letter or digit';
  return null;
}

/** The stored spelling: the normalised id, with a known registry's prefix as that registry spells it. */
function canonical(id: string): string {
  const known = KNOWN_REGISTRIES.find((registry) => id.startsWith(registry.prefix.toUpperCase()));
  return known ? known.prefix + id.slice(known.prefix.length) : id;
}

/** The key uniqueness is enforced on (the `registry_ids` table's): the normalised id. */
export const registryIdKey = (id: string): string => normaliseRegistryId(id);

export const RegistryId = z
  .string()
  .max(256)
  .transform((raw, ctx) => {
    const id = normaliseRegistryId(raw);
    const problem = problemOf(id);
    if (problem === null) return canonical(id);
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  })
  .meta({
    example: 'NCT02566655',
    description:
      'A registry’s id, compared after Unicode NFKC, trimming and upper-casing; then ASCII letters, digits, ' +
      '`-` and `/` only. Ids of NCT, ISRCTN, ChiCTR, IRCT, EUCTR, ACTRN, DRKS, JPRN, KCT and CTRI must follow ' +
      'that registry’s numbering.',
  });
