import { describe, expect, it } from 'vitest';
import { type ForestStudy, renderForestPlot } from '../../../src/domain/forest-plot';
import { distinctLabels } from '../../../src/domain/forest-plot/labels';
import { MAX_LABEL_CHARS } from '../../../src/domain/forest-plot/layout';
import { findAll, findOne, ownText, parseSvg } from './svg-tree';

// Titles in the style of the illustrative seed set (made up): they agree for their first 40 characters.
const SECONDARY = '[Illustrative] Intravenous allogeneic umbilical-cord MSC in secondary osteoporosis';
const POSTMENOPAUSAL =
  '[Illustrative] Intravenous allogeneic umbilical-cord MSC in postmenopausal osteoporosis';
const length = (text: string) => Array.from(text).length;

describe('forest plot row labels', () => {
  it('leave short labels as they are and cut a long one at its end', () => {
    expect(distinctLabels([{ label: 'Wang 2019' }, { label: SECONDARY }], 40)).toEqual([
      'Wang 2019',
      '[Illustrative] Intravenous allogeneic u…',
    ]);
  });

  it('keep the end that tells two long labels apart, after an ellipsis', () => {
    const shown = distinctLabels([{ label: SECONDARY }, { label: POSTMENOPAUSAL }], 40);
    expect(shown).toEqual([
      '[Illustrative]…secondary osteoporosis',
      '[Illustrative]…postmenopausal osteoporo…',
    ]);
    for (const label of shown) expect(length(label)).toBeLessThanOrEqual(40);
  });

  it('tell identical titles apart by trial id, or by row number without one', () => {
    expect(
      distinctLabels(
        [
          { label: 'Same title', id: 'tr_a' },
          { label: 'Same title', id: 'tr_b' },
        ],
        40,
      ),
    ).toEqual(['Same title (tr_a)', 'Same title (tr_b)']);
    expect(
      distinctLabels([{ label: 'Same title' }, { label: 'Other' }, { label: 'Same title' }], 40),
    ).toEqual(['Same title (#1)', 'Other', 'Same title (#3)']);
    const long = distinctLabels(
      [
        { label: SECONDARY, id: 'tr_0123456789ab' },
        { label: SECONDARY, id: 'tr_ba9876543210' },
      ],
      40,
    );
    expect(long).toEqual([
      '[Illustrative] Intrav… (tr_0123456789ab)',
      '[Illustrative] Intrav… (tr_ba9876543210)',
    ]);
  });

  it('never draw two rows of a plot with the same text', () => {
    const row = (label: string, id: string): ForestStudy => ({
      label,
      id,
      estimate: 1,
      ciLower: 0,
      ciUpper: 2,
      weight: 25,
    });
    const studies = [
      row(SECONDARY, 'tr_1'),
      row(POSTMENOPAUSAL, 'tr_2'),
      row(POSTMENOPAUSAL, 'tr_3'),
      row(`${POSTMENOPAUSAL}: observational cohort`, 'tr_4'),
    ];
    const root = parseSvg(
      renderForestPlot({ title: 'Plot', effectLabel: 'Mean difference', studies, pooled: null }),
    );
    const labels = findAll(root, 'g', 'study').map((g) => ownText(findOne(g, 'text', 'label')));
    expect(new Set(labels).size).toBe(studies.length);
    for (const label of labels) expect(length(label)).toBeLessThanOrEqual(MAX_LABEL_CHARS);
  });
});
