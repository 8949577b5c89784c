import { sql } from 'drizzle-orm';
import { check } from 'drizzle-orm/sqlite-core';
import { type VocabularyName, vocabularies } from '../vocabularies';

/** A CHECK that keeps a column inside its vocabulary (null allowed unless the column is NOT NULL). */
export function inVocabulary(name: string, column: string, vocabulary: VocabularyName) {
  const list = vocabularies[vocabulary].values.map((v) => `'${v}'`).join(', ');
  return check(name, sql.raw(`"${column}" IN (${list})`));
}
