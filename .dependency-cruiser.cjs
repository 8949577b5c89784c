// The layers of src/, bottom to top. A module may import from its own layer or any layer below it.
//
// The rules are generated from this one list, not written out by hand: with seven layers there are
// six "no upward import" rules, and a hand-kept copy would drift the day a folder is added to one
// rule and forgotten in another. Moving a folder to another layer, or adding one, is a one-line
// change here.
//
// An entry ending in "/" is a folder (everything under it); any other entry is one file.
const LAYERS = [
  { name: 'foundation', paths: ['src/vocabularies.ts', 'src/errors.ts', 'src/config.ts'] },
  { name: 'schemas', paths: ['src/schemas/'] },
  { name: 'domain', paths: ['src/domain/'] },
  { name: 'persistence', paths: ['src/db/', 'src/store/', 'src/filters/', 'src/csv/'] },
  { name: 'services', paths: ['src/imports/', 'src/analysis/'] },
  { name: 'http', paths: ['src/plugins/', 'src/routes/'] },
  { name: 'entry-points', paths: ['src/app.ts', 'src/cli/', 'src/server.ts'] },
];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathPattern = (path) => `^${escapeRegex(path)}${path.endsWith('/') ? '' : '$'}`;
const patternOf = (layers) => layers.flatMap((layer) => layer.paths.map(pathPattern));
const IN_A_LAYER = patternOf(LAYERS);

const upwardImportRules = LAYERS.slice(0, -1).map((layer, index) => {
  const above = LAYERS.slice(index + 1);
  const aboveNames = above.map((l) => l.name).join(', ');
  return {
    name: `${layer.name}-imports-upward`,
    comment:
      `Layer ${index} (${layer.name}: ${layer.paths.join(', ')}) ` +
      `may import only from layers 0-${index}, not from ${aboveNames}.`,
    severity: 'error',
    from: { path: patternOf([layer]) },
    to: { path: patternOf(above) },
  };
});

// A module of src/ that no layer names, in either direction of an import: a new top-level file or
// folder has to be given a layer above before anything may depend on it, or it on anything.
const unplacedModuleRules = [
  {
    name: 'import-of-unplaced-module',
    comment: 'This module of src/ is in no layer; add it to LAYERS in .dependency-cruiser.cjs.',
    severity: 'error',
    from: {},
    to: { path: '^src/', pathNot: IN_A_LAYER },
  },
  {
    name: 'unplaced-module-imports',
    comment: 'This module of src/ is in no layer; add it to LAYERS in .dependency-cruiser.cjs.',
    severity: 'error',
    from: { path: '^src/', pathNot: IN_A_LAYER },
    to: {},
  },
  {
    name: 'unplaced-orphan',
    comment: 'This module of src/ is in no layer; add it to LAYERS in .dependency-cruiser.cjs.',
    severity: 'error',
    from: { orphan: true, path: '^src/', pathNot: IN_A_LAYER },
    to: {},
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upwardImportRules,
    ...unplacedModuleRules,
    {
      name: 'no-circular',
      comment: 'Modules that depend on each other, directly or through others, cannot be layered.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports couple layers just as much, so they are checked too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

// `npm run lint:layers` runs this file. It goes through dependency-cruiser's library API rather
// than its command line because the command line refuses to start on Node 20, which package.json's
// engines still support; the library itself runs there unchanged. On Node 22 or later,
// `npx depcruise src --output-type err-long` reads this same configuration and reports the same violations.
async function checkLayers() {
  const { cruise } = await import('dependency-cruiser');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const { options, ...ruleSet } = module.exports;
  const result = await cruise(
    ['src'],
    { ...options, ruleSet, validate: true, outputType: 'err-long' },
    {},
    { tsConfig: extractTSConfig(options.tsConfig.fileName) },
  );
  process.stdout.write(result.output);
  process.exitCode = result.exitCode === 0 ? 0 : 1;
}

if (require.main === module) {
  checkLayers().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
