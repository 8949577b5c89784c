export { renderForestPlot } from './render';
export { niceTicks, type Ticks } from './scale';
export type { ForestPlotInput, ForestPooled, ForestStudy } from './types';
