/** One study row of a forest plot. */
export interface ForestStudy {
  label: string;
  /** Tells rows with the same label apart (the trial id). */
  id?: string;
  estimate: number;
  ciLower: number;
  ciUpper: number;
  /** Percent of the total weight. */
  weight: number;
  timepointMonths?: number | null;
}

/** The pooled result drawn as the diamond, field for field what the meta-analysis module reports. */
export interface ForestPooled {
  estimate: number;
  ciLower: number;
  ciUpper: number;
  predictionLower: number | null;
  predictionUpper: number | null;
  tau2: number;
  /** I² in percent. */
  i2: number | null;
  q: number | null;
  qDf: number;
  qPValue: number | null;
  pValue: number;
  k: number;
  /** τ² estimator: 'EE' (common effect), 'REML', 'DL', 'PM', … */
  method: string;
  /** Test of the pooled estimate: 'z' or 'knha' (Knapp–Hartung). */
  test: string;
}

export interface ForestPlotInput {
  title: string;
  /** E.g. 'Mean difference in % change, lumbar spine (DXA)'. */
  effectLabel: string;
  studies: ForestStudy[];
  pooled: ForestPooled | null;
  /** Warnings printed under the plot, e.g. that the data are illustrative. */
  notes?: string[];
  favoursLeft?: string;
  favoursRight?: string;
  /** Column headers other than Study and Weight, for plots whose rows are not single studies. */
  columns?: { study?: string; weight?: string };
}
