import { tau2DerSimonianLaird } from './tau2-dersimonian-laird';
import { tau2PauleMandel } from './tau2-paule-mandel';
import { type Convergence, tau2Reml } from './tau2-reml';
import type { EffectColumns, TauMethod } from './types';

/** τ² under the chosen method, always ≥ 0. Needs k ≥ 2; pool() handles k = 1 itself. */
export function estimateTau2(
  effects: EffectColumns,
  method: TauMethod,
  convergence: Convergence = 'full',
): number {
  switch (method) {
    case 'EE':
      return 0;
    case 'DL':
      return tau2DerSimonianLaird(effects);
    case 'REML':
      return tau2Reml(effects, convergence);
    case 'PM':
      return tau2PauleMandel(effects);
  }
}
