export { combineGroups, combineManyGroups } from './combine-groups';
export { type ArmSummary, hedgesG, meanDifference, rawMean } from './effect-sizes';
export { CannotPoolError } from './errors';
export { asColumns, effectCount } from './inverse-variance';
export { type PoolOptions, pool } from './pool';
export { type DerivedSd, deriveSd, type SdInput, type SdSource } from './sd-derivation';
export { type SubgroupDifference, type SubgroupGroup, subgroupDifferenceTest } from './subgroup-test';
export type { EffectColumns, EffectSize, Effects, Pooled, TauMethod, TestKind } from './types';
