import type { z } from 'zod';
import type { TrialInput } from '../../src/schemas/trial-input';

type TrialBody = z.input<typeof TrialInput>;

/** A minimal valid write body; tests override what they are about. Not real data. */
export function trialBody(overrides: Partial<TrialBody> = {}): TrialBody {
  return {
    title: 'Test trial',
    studyType: 'INTERVENTIONAL',
    overallStatus: 'COMPLETED',
    arms: [
      {
        label: 'Cells',
        type: 'EXPERIMENTAL',
        participants: 20,
        cellSource: 'BONE_MARROW',
        cellType: 'MSC',
        donor: 'AUTOLOGOUS',
        route: 'INTRAVENOUS',
      },
    ],
    provenance: { kind: 'USER', sources: ['test fixture'] },
    ...overrides,
  };
}
