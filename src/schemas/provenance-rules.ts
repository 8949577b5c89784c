/** What the provenance rules read of a trial: its registry ids, its references and its provenance. */
export interface ProvenanceFacts {
  registryIds: readonly string[];
  references: readonly { pmid: string | null; doi: string | null; citation: string }[];
  provenance: { kind: string; sources: readonly string[] };
}

/** One broken rule, at the path (inside the trial) of what is missing. */
export interface ProvenanceProblem {
  path: (string | number)[];
  message: string;
}

/**
 * A trial's kind says where its numbers come from, and analyses filtered to REGISTRY or
 * PUBLICATION pool them as real evidence: so such a record must name what it was taken from. A
 * REGISTRY record needs a registry id and a source; a PUBLICATION record needs a reference (PMID,
 * DOI or citation) and a source. USER and ILLUSTRATIVE records claim nothing and need neither.
 */
export function provenanceProblems(trial: ProvenanceFacts): ProvenanceProblem[] {
  const { kind, sources } = trial.provenance;
  const problems: ProvenanceProblem[] = [];
  if (kind === 'REGISTRY' && trial.registryIds.length === 0)
    problems.push({
      path: ['registryIds'],
      message:
        'provenance kind REGISTRY needs at least one registry id (of the registry record the trial is taken ' +
        'from); a record without one is USER',
    });
  if (kind === 'PUBLICATION' && !trial.references.some((r) => r.pmid || r.doi || r.citation))
    problems.push({
      path: ['references'],
      message:
        'provenance kind PUBLICATION needs a reference (a PMID, DOI or citation of the publication the trial ' +
        'is taken from); a record without one is USER',
    });
  if ((kind === 'REGISTRY' || kind === 'PUBLICATION') && sources.length === 0)
    problems.push({
      path: ['provenance', 'sources'],
      message: `provenance kind ${kind} needs at least one source: the registry page or publication its data were taken from`,
    });
  return problems;
}
