import { badRequest, forbidden } from '../errors';

/** The kinds whose numbers analyses may count as evidence taken from a real source. */
const SOURCED_KINDS: ReadonlySet<string> = new Set(['REGISTRY', 'PUBLICATION']);

/** Who replaces a stored trial: whether the key is an admin's, and the reason sent with the write. */
export interface KindChangeWriter {
  isAdmin: boolean;
  /** The `X-Revision-Note` of the write, if any. */
  note?: string;
}

/**
 * Refuses a replacement that changes a stored trial's provenance kind unless it may. The kind
 * decides whether analyses filtered to REGISTRY or PUBLICATION pool the trial's numbers, so only
 * an admin may change it, and always with a reason kept on the revision. Made-up (ILLUSTRATIVE)
 * numbers never become real evidence, whoever asks: a real record is created afresh instead.
 */
export function checkKindChange(trialId: string, from: string, to: string, writer: KindChangeWriter): void {
  if (from === to) return;
  const field = [
    { path: '/provenance/kind', message: `the stored trial is ${from}; this write makes it ${to}` },
  ];
  if (from === 'ILLUSTRATIVE' && SOURCED_KINDS.has(to))
    throw badRequest(
      `Trial ${trialId} is ILLUSTRATIVE: its numbers were made up to show how the catalogue works, so it never ` +
        `becomes ${to}, even for an admin. Create a new trial from the registry record or publication instead.`,
      [{ path: '/provenance/kind', message: `an ILLUSTRATIVE trial cannot become ${to}` }],
    );
  if (!writer.isAdmin)
    throw forbidden(
      `Only an admin key may change a trial's provenance kind: trial ${trialId} is ${from} and this write makes ` +
        `it ${to}. Send provenance.kind ${from} to change the rest, or ask an admin.`,
      field,
    );
  if (!writer.note)
    throw badRequest(
      `Changing trial ${trialId}'s provenance kind from ${from} to ${to} needs a reason: send it in the ` +
        'X-Revision-Note header, and it is kept on the revision.',
      [{ path: '/headers/x-revision-note', message: 'required when the provenance kind changes' }],
    );
}
