import type { ArmPlan } from './arms';
import type { Design, Schedule } from './design';
import { type Draw, round, t975, tableOf } from './random';
import type { Method, Metric, ResultLike, Site, Statistic } from './types';

type Style = 'PERCENT' | 'ABSOLUTE' | 'T_SCORE' | 'FINAL';
const STYLE = tableOf<Style>({ PERCENT: 70, ABSOLUTE: 12, T_SCORE: 8, FINAL: 10 });

/** Areal BMD (g/cm², DXA) at baseline in osteoporotic adults, by site. */
const BASE_BMD: Record<'LUMBAR_SPINE' | 'FEMORAL_NECK' | 'TOTAL_HIP' | 'DISTAL_RADIUS', [number, number]> = {
  LUMBAR_SPINE: [0.68, 0.84],
  FEMORAL_NECK: [0.52, 0.64],
  TOTAL_HIP: [0.6, 0.74],
  DISTAL_RADIUS: [0.45, 0.58],
};

/** Decimals for the mean, SD, SE and CI bounds of each kind of number. */
interface Unit {
  mean: number;
  sd: number;
  se: number;
  ci: number;
}
const PERCENT: Unit = { mean: 2, sd: 2, se: 2, ci: 2 };
const G_CM2: Unit = { mean: 3, sd: 3, se: 4, ci: 3 };
const T_UNITS: Unit = { mean: 2, sd: 2, se: 3, ci: 2 };
const MG_CM3: Unit = { mean: 1, sd: 1, se: 2, ci: 1 };

const VALUE_NOTE = 'Illustrative value.';

interface ResultPlan {
  sites: Site[];
  timepoints: number[];
  style: Style;
  method: Method;
  /** Controlled trials always report lumbar-spine percent change by DXA at 12 months. */
  needLs12Percent: boolean;
  lsMean: boolean;
  qct: 'PERCENT' | 'ABSOLUTE' | null;
  tScorePerPercent: number;
  baseBmd: Partial<Record<Site, number>>;
  baseVbmd: number;
}

/** Appends one arm's results; the spread is reported as an SD, an SE or a 95% CI, all from one SD. */
class ResultWriter {
  constructor(
    private readonly d: Draw,
    private readonly out: ResultLike[],
    private readonly armLabel: string,
    private readonly changeStatistic: Statistic,
  ) {}

  add(
    site: Site,
    metric: Metric,
    method: Method,
    t: number,
    n: number,
    mean: number,
    sd: number,
    unit: Unit,
  ): void {
    // A model-based (LS) mean is given for the primary endpoint, change at the spine, only.
    const statistic = metric !== 'FINAL_VALUE' && site === 'LUMBAR_SPINE' ? this.changeStatistic : 'MEAN';
    let reportedSd: number | null = null;
    let se: number | null = null;
    let ciLower: number | null = null;
    let ciUpper: number | null = null;
    const roundedMean = round(mean, unit.mean);
    // LS means come with their standard error.
    const spread = statistic === 'LS_MEAN' ? 0 : this.d.unit();
    if (spread < 0.15) {
      se = round(sd / Math.sqrt(n), unit.se);
    } else if (spread < 0.25) {
      const half = (t975(n - 1) * sd) / Math.sqrt(n);
      ciLower = round(roundedMean - half, unit.ci);
      ciUpper = round(roundedMean + half, unit.ci);
    } else {
      reportedSd = round(sd, unit.sd);
    }
    this.out.push({
      armLabel: this.armLabel,
      site,
      metric,
      method,
      statistic,
      timepointMonths: t,
      n,
      mean: roundedMean,
      sd: reportedSd,
      se,
      ciLower,
      ciUpper,
      note: VALUE_NOTE,
    });
  }
}

/** Site response relative to the lumbar spine: hips and radius change less than the spine. */
function siteFactor(d: Draw, site: Site): number {
  switch (site) {
    case 'LUMBAR_SPINE':
      return 1;
    case 'TOTAL_HIP':
      return d.between(0.45, 0.75);
    case 'FEMORAL_NECK':
      return d.between(0.4, 0.7);
    default:
      return d.between(0.1, 0.4);
  }
}

function armResults(d: Draw, plan: ResultPlan, arm: ArmPlan, out: ResultLike[]): void {
  const p = arm.participants;
  const n12 = p - d.int(0, Math.floor(p * 0.15));
  const nAt = [p, d.int(n12, p), n12, n12 - d.int(0, Math.floor(n12 * 0.1))]; // 0, 6, 12, 24 months
  const f6 = d.between(0.45, 0.7);
  const f24 = d.between(1.1, 1.35);
  const w = new ResultWriter(d, out, arm.label, plan.lsMean ? 'LS_MEAN' : 'MEAN');
  const { method, style } = plan;
  for (const site of plan.sites) {
    const pct12 = arm.ls12 * siteFactor(d, site);
    const base = (plan.baseBmd[site] as number) * d.between(0.97, 1.03);
    for (let k = 0; k < plan.timepoints.length; k++) {
      const t = plan.timepoints[k] as number;
      const n = nAt[t === 6 ? 1 : t === 12 ? 2 : 3] as number;
      const pct = pct12 * (t === 6 ? f6 : t === 24 ? f24 : 1);
      if (style === 'PERCENT') w.add(site, 'PERCENT_CHANGE', method, t, n, pct, d.between(2, 6), PERCENT);
      else if (style === 'ABSOLUTE')
        w.add(site, 'ABSOLUTE_CHANGE', method, t, n, (base * pct) / 100, d.between(0.02, 0.05), G_CM2);
      else if (style === 'T_SCORE')
        w.add(
          site,
          'T_SCORE_CHANGE',
          method,
          t,
          n,
          pct * plan.tScorePerPercent,
          d.between(0.2, 0.5),
          T_UNITS,
        );
      else {
        if (k === 0) w.add(site, 'FINAL_VALUE', method, 0, p, base, d.between(0.06, 0.11), G_CM2);
        w.add(site, 'FINAL_VALUE', method, t, n, base * (1 + pct / 100), d.between(0.06, 0.11), G_CM2);
      }
      if (t === 12 && site === 'LUMBAR_SPINE' && plan.needLs12Percent && style !== 'PERCENT')
        w.add(site, 'PERCENT_CHANGE', 'DXA', t, n, pct, d.between(2, 6), PERCENT);
    }
  }
  if (plan.qct !== null) {
    // Trabecular volumetric BMD responds more than areal BMD.
    const qf = d.between(1.3, 1.8);
    const vbase = plan.baseVbmd * d.between(0.95, 1.05);
    const last = plan.timepoints[plan.timepoints.length - 1] as number;
    for (const t of plan.timepoints) {
      if (t !== 12 && t !== last) continue;
      const n = nAt[t === 6 ? 1 : t === 12 ? 2 : 3] as number;
      const pct = arm.ls12 * qf * (t === 6 ? f6 : t === 24 ? f24 : 1);
      if (plan.qct === 'PERCENT')
        w.add('LUMBAR_SPINE', 'PERCENT_CHANGE', 'QCT', t, n, pct, d.between(4, 10), PERCENT);
      else
        w.add('LUMBAR_SPINE', 'ABSOLUTE_CHANGE', 'QCT', t, n, (vbase * pct) / 100, d.between(5, 12), MG_CM3);
    }
  }
}

export interface Results {
  bmdResults: ResultLike[];
  usedMedian: boolean;
  usedLsMean: boolean;
}

/**
 * BMD results for every arm of a trial that reports them (none for ongoing trials). `wantMedian` and
 * `wantLsMean` ask for a median or least-squares means where the design allows one; `used*` says
 * whether it was given.
 */
export function drawResults(
  d: Draw,
  design: Design,
  schedule: Schedule,
  armPlans: ArmPlan[],
  wantMedian: boolean,
  wantLsMean: boolean,
): Results {
  const { controlled, allocation } = design;
  const bmdResults: ResultLike[] = [];
  let usedMedian = false;
  let usedLsMean = false;
  if (design.hasResults) {
    const sites: Site[] = ['LUMBAR_SPINE'];
    if (d.chance(0.55)) sites.push('FEMORAL_NECK');
    if (d.chance(0.4)) sites.push('TOTAL_HIP');
    if (d.chance(0.08)) sites.push('DISTAL_RADIUS');
    const baseBmd: Partial<Record<Site, number>> = {};
    for (const site of sites) {
      const [lo, hi] = BASE_BMD[site as keyof typeof BASE_BMD];
      baseBmd[site] = d.between(lo, hi);
    }
    const qctDraw = d.unit();
    const plan: ResultPlan = {
      sites,
      timepoints: schedule.timepoints,
      style: d.from(STYLE),
      method: !controlled && d.chance(0.08) ? 'NOT_REPORTED' : 'DXA',
      needLs12Percent: controlled,
      lsMean: wantLsMean && controlled && allocation === 'RANDOMIZED',
      qct: qctDraw < 0.05 ? 'PERCENT' : qctDraw < 0.1 ? 'ABSOLUTE' : null,
      tScorePerPercent: d.between(0.06, 0.075),
      baseBmd,
      baseVbmd: d.between(65, 95),
    };
    for (const arm of armPlans) armResults(d, plan, arm, bmdResults);
    usedLsMean = plan.lsMean;

    if (wantMedian && !controlled && bmdResults.length > 0) {
      const median = bmdResults[d.int(0, bmdResults.length - 1)] as ResultLike;
      median.statistic = 'MEDIAN';
      median.sd = null;
      median.se = null;
      median.ciLower = null;
      median.ciUpper = null;
      median.note = 'Illustrative value (median; spread not reported).';
      usedMedian = true;
    }
  }
  return { bmdResults, usedMedian, usedLsMean };
}
