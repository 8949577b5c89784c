/**
 * Thrown for a body or record that is not a ClinicalTrials.gov API v2 study: the retired classic
 * format, or JSON of some other shape, or a v2 record missing a field every trial needs. A typed
 * error lets an importer reject that record with a clear message instead of failing with a 500.
 */
export class CtgovFormatError extends Error {
  override readonly name = 'CtgovFormatError';
  /** JSON Pointer, relative to the record (or body) given, of the part that was refused. */
  readonly path: string;

  constructor(message: string, path = '') {
    super(message);
    this.path = path;
  }
}

export const CLASSIC_FORMAT_MESSAGE =
  'this is the classic ClinicalTrials.gov API format (FullStudiesResponse / FullStudy / Study.ProtocolSection), ' +
  'which was retired in 2024; download the study as ClinicalTrials.gov API v2 JSON ' +
  '(https://clinicaltrials.gov/api/v2/studies/NCT…) and import that instead';
