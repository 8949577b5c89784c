import { toPointer } from '../errors';
import { provenanceProblems } from '../schemas/provenance-rules';
import type { Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import type { ImportWarning, TrialRecord } from './types';

/** Rejects the record at a path inside it. */
type Reject = (path: string, message: string, code: 'INVALID_FIELD') => void;

/**
 * An import never changes a stored trial's provenance kind: whether its numbers count as registry
 * or published evidence is an admin's decision, made by PUT with a reason, not a file's. The
 * record keeps the stored kind and a warning names both kinds; a record that cannot carry the
 * stored kind (a REGISTRY trial's record without registry ids) is rejected, saying why.
 */
export function keepStoredKind(
  record: TrialRecord,
  input: TrialInput,
  stored: Trial,
  warnings: ImportWarning[],
  reject: Reject,
): TrialInput {
  const storedKind = stored.provenance.kind;
  const sentKind = input.provenance.kind;
  if (sentKind === storedKind) return input;
  warnings.push({
    index: record.index,
    code: 'PROVENANCE_KIND_KEPT',
    message:
      `trial ${stored.id} stays provenance kind ${storedKind}; the record says ${sentKind} (an import never ` +
      'changes a stored kind: an admin changes it by PUT /trials/{id} with X-Revision-Note)',
    ...(record.source ? { source: record.source } : {}),
  });
  const kept = { ...input, provenance: { ...input.provenance, kind: storedKind } };
  for (const problem of provenanceProblems(kept))
    reject(
      toPointer('', problem.path),
      `the stored kind ${storedKind} is kept, and ${problem.message}`,
      'INVALID_FIELD',
    );
  return kept;
}
