import { isPartialDate } from '../../schemas/common';
import { type Vocab, vocabularies } from '../../vocabularies';
import { CtgovFormatError } from './errors';
import { arr, type JsonObject, obj, str } from './json';
import type { MappedReference, TrialInputLike, Warn } from './types';

/**
 * Study-level fields. ClinicalTrials.gov's enum spellings for phase, status, allocation, masking,
 * study type and enrollment type are the catalogue's own, so values are copied when they are in
 * the vocabulary; anything else is reported rather than coerced.
 */
type Metadata = Omit<TrialInputLike, 'arms' | 'bmdResults' | 'population' | 'countries' | 'provenance'>;

const NCT_ID = /^NCT\d{8}$/;

/** Overall statuses ClinicalTrials.gov uses for expanded-access records and withheld records; the catalogue has no such values. */
const CTGOV_ONLY_STATUSES = new Set([
  'APPROVED_FOR_MARKETING',
  'AVAILABLE',
  'NO_LONGER_AVAILABLE',
  'TEMPORARILY_NOT_AVAILABLE',
  'WITHHELD',
]);

function inVocabulary<
  N extends 'studyType' | 'phase' | 'overallStatus' | 'allocation' | 'masking' | 'enrollmentType',
>(name: N, value: string | null): value is Vocab<N> {
  return value !== null && (vocabularies[name].values as readonly string[]).includes(value);
}

export function nctIdOf(protocol: JsonObject): string {
  const nctId = str(obj(protocol.identificationModule).nctId);
  if (nctId === null || !NCT_ID.test(nctId))
    throw new CtgovFormatError(
      `protocolSection.identificationModule.nctId must be NCT followed by 8 digits, got ${JSON.stringify(nctId)}`,
      '/protocolSection/identificationModule/nctId',
    );
  return nctId;
}

/**
 * The official title is the protocol's own title and names the intervention and population, which
 * the catalogue's search relies on; the brief (lay) title is the fallback when a record has none.
 */
function titleOf(identification: JsonObject): string {
  const title = str(identification.officialTitle) ?? str(identification.briefTitle);
  if (title === null)
    throw new CtgovFormatError(
      'the record has neither an officialTitle nor a briefTitle',
      '/protocolSection/identificationModule',
    );
  return title;
}

function studyTypeOf(design: JsonObject): Vocab<'studyType'> {
  const value = str(design.studyType);
  if (!inVocabulary('studyType', value))
    throw new CtgovFormatError(
      `designModule.studyType must be INTERVENTIONAL, OBSERVATIONAL or EXPANDED_ACCESS, got ${JSON.stringify(value)}`,
      '/protocolSection/designModule/studyType',
    );
  return value;
}

function phasesOf(design: JsonObject, warn: Warn): Vocab<'phase'>[] {
  const phases: Vocab<'phase'>[] = [];
  for (const raw of arr(design.phases)) {
    const value = str(raw);
    if (inVocabulary('phase', value)) {
      if (!phases.includes(value)) phases.push(value);
    } else
      warn(
        'UNKNOWN_PHASE',
        `phase ${JSON.stringify(raw)} is not a ClinicalTrials.gov phase; it was left out`,
      );
  }
  return phases;
}

function statusOf(status: JsonObject, warn: Warn): Vocab<'overallStatus'> {
  const value = str(status.overallStatus);
  if (inVocabulary('overallStatus', value)) return value;
  if (value !== null && CTGOV_ONLY_STATUSES.has(value))
    warn(
      'STATUS_NOT_IN_VOCABULARY',
      `overall status ${value} has no equivalent in the catalogue; stored as UNKNOWN`,
    );
  else
    warn(
      'STATUS_NOT_IN_VOCABULARY',
      `overall status ${JSON.stringify(value)} is missing or unknown; stored as UNKNOWN`,
    );
  return 'UNKNOWN';
}

function optionalEnum<N extends 'allocation' | 'masking'>(
  name: N,
  raw: unknown,
  field: string,
  warn: Warn,
): Vocab<N> | null {
  const value = str(raw);
  if (value === null) return null;
  if (inVocabulary(name, value)) return value;
  warn(
    'UNKNOWN_DESIGN_VALUE',
    `${field} ${JSON.stringify(value)} is not in the catalogue's vocabulary; stored as null`,
  );
  return null;
}

function enrollmentOf(design: JsonObject, warn: Warn): TrialInputLike['enrollment'] {
  const info = obj(design.enrollmentInfo);
  if (info.count === undefined && info.type === undefined) return null;
  const count =
    typeof info.count === 'number' && Number.isInteger(info.count) && info.count >= 0 ? info.count : null;
  const type = str(info.type);
  if (count !== null && inVocabulary('enrollmentType', type)) return { count, type };
  warn(
    'ENROLLMENT_INCOMPLETE',
    `enrollment needs a whole count and a type (ACTUAL or ESTIMATED), got count ${JSON.stringify(info.count)} and type ${JSON.stringify(info.type)}; stored as null`,
  );
  return null;
}

function dateOf(struct: unknown, field: string, warn: Warn): string | null {
  const value = str(obj(struct).date);
  if (value === null) return null;
  if (isPartialDate(value)) return value;
  warn('INVALID_DATE', `${field} ${JSON.stringify(value)} is not a partial ISO 8601 date; stored as null`);
  return null;
}

/** PMIDs and citations are copied as published; DOIs and URLs are left null rather than derived from free text. */
function referencesOf(protocol: JsonObject, warn: Warn): MappedReference[] {
  const references: MappedReference[] = [];
  for (const raw of arr(obj(protocol.referencesModule).references)) {
    const reference = obj(raw);
    const citation = str(reference.citation);
    const pmid = str(reference.pmid);
    if (citation === null || citation.length > 2000) {
      warn(
        'REFERENCE_SKIPPED',
        `a reference${pmid ? ` (PMID ${pmid})` : ''} has no citation text or one over 2000 characters; it was left out`,
      );
      continue;
    }
    if (pmid !== null && !/^\d{1,9}$/.test(pmid))
      warn(
        'REFERENCE_PMID_INVALID',
        `reference PMID ${JSON.stringify(pmid)} is not 1 to 9 digits; the citation was kept without it`,
      );
    references.push({
      pmid: pmid !== null && /^\d{1,9}$/.test(pmid) ? pmid : null,
      doi: null,
      citation,
      url: null,
    });
  }
  return references;
}

export function mapMetadata(protocol: JsonObject, warn: Warn): Metadata {
  const identification = obj(protocol.identificationModule);
  const status = obj(protocol.statusModule);
  const design = obj(protocol.designModule);
  const designInfo = obj(design.designInfo);
  const nctId = nctIdOf(protocol);
  const startDate = dateOf(status.startDateStruct, 'startDateStruct.date', warn);
  let completionDate = dateOf(status.completionDateStruct, 'completionDateStruct.date', warn);
  // Partial dates compare correctly as strings once cut to the shorter precision.
  if (startDate && completionDate && completionDate < startDate.slice(0, completionDate.length)) {
    warn(
      'COMPLETION_BEFORE_START',
      `completion date ${completionDate} is before start date ${startDate}; the completion date was left out`,
    );
    completionDate = null;
  }
  return {
    registryIds: [nctId],
    title: titleOf(identification),
    briefSummary: str(obj(protocol.descriptionModule).briefSummary),
    studyType: studyTypeOf(design),
    phases: phasesOf(design, warn),
    overallStatus: statusOf(status, warn),
    allocation: optionalEnum('allocation', designInfo.allocation, 'designInfo.allocation', warn),
    masking: optionalEnum(
      'masking',
      obj(designInfo.maskingInfo).masking,
      'designInfo.maskingInfo.masking',
      warn,
    ),
    enrollment: enrollmentOf(design, warn),
    startDate,
    completionDate,
    sponsor: str(obj(obj(protocol.sponsorCollaboratorsModule).leadSponsor).name),
    baseline: null,
    references: referencesOf(protocol, warn),
    riskOfBias: null,
  };
}

export function provenanceOf(protocol: JsonObject, nctId: string): TrialInputLike['provenance'] {
  const lastUpdate = str(obj(obj(protocol.statusModule).lastUpdatePostDateStruct).date);
  return {
    kind: 'REGISTRY',
    sources: [`https://clinicaltrials.gov/study/${nctId}`],
    note:
      `Mapped from the ClinicalTrials.gov API v2 record ${nctId}` +
      (lastUpdate ? ` (last update posted ${lastUpdate})` : '') +
      '. Cell-therapy details, comparators and population were inferred by keyword rules; check them against the record.',
  };
}
