import countries from 'i18n-iso-countries';
import { arr, obj, str } from './json';
import type { Warn } from './types';

/**
 * ClinicalTrials.gov spells some countries the way ISO 3166 did years ago ("Iran, Islamic Republic
 * of", "Viet Nam"); i18n-iso-countries knows most names but not these, so they are listed here.
 */
const CTGOV_ALIASES: Record<string, string> = {
  'iran, islamic republic of': 'IR',
  'viet nam': 'VN',
  'macedonia, the former yugoslav republic of': 'MK',
  'congo, the democratic republic of the': 'CD',
  "korea, democratic people's republic of": 'KP',
  'libyan arab jamahiriya': 'LY',
  'palestinian territory, occupied': 'PS',
  'palestinian territories, occupied': 'PS',
  'micronesia, federated states of': 'FM',
  'virgin islands (u.s.)': 'VI',
};

export function countryCode(name: string): string | null {
  const alias = CTGOV_ALIASES[name.trim().toLowerCase()];
  if (alias) return alias;
  const code = countries.getAlpha2Code(name.trim(), 'en');
  return code && countries.isValid(code) ? code.toUpperCase() : null;
}

/** Distinct ISO alpha-2 codes of the study's locations, sorted; a name that cannot be mapped is reported, not dropped silently. */
export function mapCountries(contactsLocationsModule: unknown, warn: Warn): string[] {
  const names = new Set<string>();
  for (const location of arr(obj(contactsLocationsModule).locations)) {
    const name = str(obj(location).country);
    if (name) names.add(name);
  }
  const codes = new Set<string>();
  for (const name of names) {
    const code = countryCode(name);
    if (code) codes.add(code);
    else
      warn(
        'UNMAPPED_COUNTRY',
        `location country "${name}" has no ISO 3166-1 code known to the importer; it was left out`,
      );
  }
  return [...codes].sort();
}
