import { describe, expect, it } from 'vitest';
import { BONE_CONDITION, mapCtgovStudy } from '../../../src/domain/ctgov';
import { readReal, readSynthetic } from './fixtures';

/** A made-up v2 record (test data) with the given conditions, title and interventions. */
function study(options: {
  conditions?: string[];
  keywords?: string[];
  title?: string;
  interventions?: { type: string; name: string }[];
}) {
  const interventions = options.interventions ?? [];
  return {
    protocolSection: {
      identificationModule: { nctId: 'NCT99999999', briefTitle: options.title ?? 'A made-up study' },
      designModule: { studyType: 'INTERVENTIONAL' },
      conditionsModule: { conditions: options.conditions ?? [], keywords: options.keywords ?? [] },
      armsInterventionsModule: {
        armGroups: [
          {
            label: 'Arm',
            type: 'EXPERIMENTAL',
            interventionNames: interventions.map((i) => `${i.type}: ${i.name}`),
          },
        ],
        interventions: interventions.map((i) => ({ ...i, armGroupLabels: ['Arm'] })),
      },
    },
  };
}

const cells = [{ type: 'BIOLOGICAL', name: 'Autologous bone marrow mesenchymal stem cells' }];

describe('which ClinicalTrials.gov records are on topic', () => {
  // None of the real records is about bone or cells (test/fixtures/ctgov/README.md).
  it.each([
    [
      'NCT00763412.json',
      '"Cystic Fibrosis Related Diabetes", "Pancreatic Insufficiency"',
      '"placebo", "repaglinide"',
    ],
    ['NCT02210780.json', '"Atopic Dermatitis"', '"Dupilumab", "Placebo"'],
    ['NCT02513394.json', '"Breast Cancer"', '"Palbociclib", "Standard Adjuvant Endocrine Therapy"'],
    ['NCT05594173.json', '"Dysphagia"', '"Food texture modification"'],
  ])(
    'the real record %s is off topic: no bone condition, no cell-based intervention',
    (file, conditions, interventions) => {
      expect(mapCtgovStudy(readReal(file)).topic).toEqual({
        onTopic: false,
        reason: `off topic: no bone condition (conditions: ${conditions}); no cell-based intervention (interventions: ${interventions})`,
      });
    },
  );

  it.each(['NCT99999901.json', 'NCT99999902.json', 'NCT99999903.json'])(
    'the synthetic osteoporosis cell-therapy record %s is on topic',
    (file) => {
      expect(mapCtgovStudy(readSynthetic(file)).topic).toEqual({ onTopic: true, reason: null });
    },
  );

  it('needs both a bone condition and a cell-based intervention', () => {
    const boneOnly = study({
      conditions: ['Postmenopausal Osteoporosis'],
      interventions: [{ type: 'DRUG', name: 'Zoledronic acid' }],
    });
    expect(mapCtgovStudy(boneOnly).topic.reason).toBe(
      'off topic: no cell-based intervention (interventions: "Zoledronic acid")',
    );
    const cellsOnly = study({ conditions: ['Knee Osteoarthritis'], interventions: cells });
    expect(mapCtgovStudy(cellsOnly).topic.reason).toBe(
      'off topic: no bone condition (conditions: "Knee Osteoarthritis")',
    );
    expect(mapCtgovStudy(study({ conditions: [] })).topic.reason).toMatch(
      /no bone condition \(conditions: none given\); no cell-based intervention \(interventions: none given\)/,
    );
  });

  it.each([
    [{ conditions: ['Osteoporosis'] }],
    [{ conditions: ['Osteopenia'] }],
    [{ conditions: ['Osteoporotic Fractures'] }],
    [{ conditions: ['Low Bone Mass'] }],
    [{ conditions: ['Bone Loss, Age-Related'] }],
    [{ conditions: ['Hip Fracture'] }],
    [{ conditions: ['Fragility Fracture'] }],
    [{ keywords: ['bone mineral density'] }],
    [{ keywords: ['BMD'] }],
    [{ title: 'MSC infusion to improve bone density in older adults' }],
  ])('a bone condition named in conditions, keywords or the title: %j', (where) => {
    expect(mapCtgovStudy(study({ ...where, interventions: cells })).topic.onTopic).toBe(true);
  });

  it.each(['Osteoarthritis', 'Multiple Myeloma', 'Bone Marrow Transplant', 'Graft Versus Host Disease'])(
    'is not a bone condition: %s',
    (condition) => {
      expect(BONE_CONDITION.test(condition)).toBe(false);
    },
  );
});
