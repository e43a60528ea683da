// The layers of docs/architecture.md (and ../shared/DESIGN.md "Layers"), checked by
// `npm run check:layers` in CI: an import may only point down the stack, so no folder can come
// to depend on one above it and no cycle can form between folders.
//
//   crm.ts, index.ts                      the facade and the public surface
//   records/                              may use associations/ (merge, archive, restore)
//   associations/                         may use derived/
//   derived/   query/                     read the change log and storage; call no service
//   schema/                               object types, properties, values; no service
//   kernel/                               transaction context, change log, cursors, paging
//   arguments/  storage/                  argument parsing; the storage seam and memory adapter
//   errors.ts, types.ts                   the public shapes
//
// adapters/, testing/, import/ and hubspot/ are built on public entry points only ('crmkit/storage', 'crmkit'),
// and cli/ (the crmkit executable) on 'crmkit/hubspot'.

/** Folders of the core, each with the folders it may import (besides itself and the base files). */
const LAYERS = {
  arguments: [],
  storage: [],
  kernel: ['arguments', 'storage'],
  schema: ['arguments', 'kernel', 'storage'],
  derived: ['kernel', 'schema', 'storage'],
  query: ['arguments', 'kernel', 'schema', 'storage'],
  associations: ['arguments', 'kernel', 'schema', 'storage', 'derived'],
  records: ['arguments', 'kernel', 'schema', 'storage', 'derived', 'associations'],
  pipelines: ['arguments', 'kernel', 'schema', 'storage', 'derived', 'records'],
  commerce: ['arguments', 'kernel', 'schema', 'storage', 'derived', 'associations', 'records'],
  segments: ['arguments', 'kernel', 'schema', 'storage', 'query'],
};

const BASE = 'src/(errors|types)\\.ts$';
/** Subpath entries inside core folders: they import the engine the way users do. */
const ENTRIES = '^src/storage/index\\.ts$';
const folder = (name) => `^src/${name}/`;
const allCore = Object.keys(LAYERS);

/** A folder built on public entry points: it may import its own files and `entries` only. */
const entriesOnly = (name, comment, entries) => ({
  name: `${name}-uses-public-entries`,
  comment,
  severity: 'error',
  from: { path: folder(name) },
  to: { path: '^src/', pathNot: [folder(name), ...entries] },
});

const layerRules = Object.entries(LAYERS).map(([name, allowed]) => ({
  name: `layer-${name}`,
  comment: `src/${name}/ may import only ${allowed.length ? allowed.map((other) => `${other}/`).join(', ') : 'no other folder'} (and errors.ts, types.ts): see docs/architecture.md`,
  severity: 'error',
  // A folder's public entry (src/storage/index.ts, 'crmkit/storage') has rules of its own below.
  from: { path: folder(name), pathNot: ENTRIES },
  to: { path: '^src/', pathNot: [folder(name), BASE, ...allowed.map(folder)] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'base-imports-nothing',
      comment: 'errors.ts and types.ts are the shapes every layer shares: they import no layer',
      severity: 'error',
      from: { path: BASE },
      to: { path: '^src/', pathNot: BASE },
    },
    {
      name: 'core-never-imports-adapters-or-testing',
      comment: 'the engine knows storages only through the seam, and the test kits are built on it, not in it',
      severity: 'error',
      from: { path: `^src/(${allCore.join('|')})/|^src/(crm|index)\\.ts$` },
      to: { path: '^src/(adapters|testing|import|hubspot)/' },
    },
    {
      name: 'adapters-use-crmkit-storage',
      comment: "adapters implement the seam through 'crmkit/storage' only (src/storage/index.ts), never the engine's internals",
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/', pathNot: ['^src/adapters/', '^src/storage/index\\.ts$'] },
    },
    entriesOnly('testing', "crmkit/testing and its conformance suite use only public entry points ('crmkit', 'crmkit/storage')", ['^src/index\\.ts$', '^src/storage/index\\.ts$']),
    entriesOnly('import', "crmkit/import is built on the public API: it imports 'crmkit' only (and csv-parse)", ['^src/index\\.ts$']),
    entriesOnly(
      'hubspot',
      "crmkit/hubspot is built on the public API: it imports 'crmkit' (and hono, @hono/node-server); `crmkit serve` (serve.ts) also 'crmkit/testing', 'crmkit/sqlite' and 'crmkit/postgres'",
      ['^src/index\\.ts$', '^src/testing/index\\.ts$', '^src/adapters/(sqlite|postgres)/index\\.ts$'],
    ),
    entriesOnly('cli', "the crmkit executable (src/cli/) is a thin process around 'crmkit/hubspot': it imports that public entry only", ['^src/hubspot/index\\.ts$']),
    {
      name: 'storage-entry',
      comment: "crmkit/storage re-exports the seam and takes CrmError from 'crmkit' (one class for every subpath), nothing else",
      severity: 'error',
      from: { path: ENTRIES },
      to: { path: '^src/', pathNot: ['^src/storage/', '^src/index\\.ts$', '^src/types\\.ts$'] },
    },
    {
      name: 'no-circular-between-folders',
      comment: 'a cycle that leaves its folder ties two layers together',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^src/$1/' } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/.*\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
