import { assertV2Study } from './extract-studies';
import { inferPopulation } from './infer-population';
import { isObject } from './json';
import { mapArms, readArms } from './map-arms';
import { mapCountries } from './map-countries';
import { mapMetadata, provenanceOf } from './map-metadata';
import { mapBmdResults } from './map-outcomes';
import { topicOf } from './topic';
import type { CtgovMapping, CtgovWarning, TrialInputLike } from './types';

export { CLASSIC_FORMAT_MESSAGE, CtgovFormatError } from './errors';
export { extractCtgovStudies, isClassicFormat, isV2Study } from './extract-studies';
export { parseCtgovCount, parseCtgovNumber } from './parse-number';
export { parseTimeframeMonths } from './parse-timeframe';
export { BONE_CONDITION } from './topic';
export type { CtgovMapping, CtgovWarning, MappedArm, MappedBmdResult, Topic, TrialInputLike } from './types';

/**
 * Maps one ClinicalTrials.gov API v2 study record to a catalogue trial (a plain object for the
 * `TrialInput` write schema) and the warnings a curator should read: values the catalogue cannot
 * hold, details the keyword rules could not infer, results that were skipped; and whether the record
 * is on topic (a bone condition and a cell-based intervention, topic.ts). Pure: no I/O.
 * Throws CtgovFormatError for a classic-format record, a non-study value, or a record without an
 * NCT id, a title or a study type.
 */
export function mapCtgovStudy(study: unknown): CtgovMapping {
  assertV2Study(study);
  const protocol = study.protocolSection;
  const results = isObject(study.resultsSection) ? study.resultsSection : {};
  const warnings: CtgovWarning[] = [];
  const warn = (code: string, message: string) => {
    warnings.push({ code, message });
  };
  const metadata = mapMetadata(protocol, warn);
  const nctId = metadata.registryIds[0] as string;
  const countries = mapCountries(protocol.contactsLocationsModule, warn);
  const armSources = readArms(protocol, warn);
  const arms = mapArms(armSources, results, warn);
  const bmdResults = mapBmdResults(
    results,
    arms.map((arm, i) => ({
      label: arm.label,
      description: armSources[i]?.description ?? null,
      participants: arm.participants,
    })),
    warn,
  );
  const trial: TrialInputLike = {
    registryIds: metadata.registryIds,
    title: metadata.title,
    briefSummary: metadata.briefSummary,
    studyType: metadata.studyType,
    phases: metadata.phases,
    overallStatus: metadata.overallStatus,
    allocation: metadata.allocation,
    masking: metadata.masking,
    enrollment: metadata.enrollment,
    startDate: metadata.startDate,
    completionDate: metadata.completionDate,
    countries,
    sponsor: metadata.sponsor,
    population: inferPopulation(protocol.conditionsModule),
    baseline: null,
    arms,
    bmdResults,
    references: metadata.references,
    riskOfBias: null,
    provenance: provenanceOf(protocol, nctId),
  };
  return { trial, warnings, topic: topicOf(protocol, arms) };
}
