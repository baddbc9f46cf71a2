// Runs the benchmark scenarios and records them: `npm run bench` (full) or `npm run bench -- --quick`.
// Pick scenarios with `--only id,id`. Every figure is reported beside a baseline measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runInfo, writeReport } from './lib/report.js';
import { buildServer } from './lib/server.js';
import type { Scenario, ScenarioResult } from './lib/types.js';
import { appendVsHistory } from './scenarios/append-vs-history.js';
import { branchRead } from './scenarios/branch-read.js';
import { durableThroughput } from './scenarios/durable-throughput.js';
import { graphqlRead } from './scenarios/graphql-read.js';
import { postgresStore } from './scenarios/postgres.js';
import { replicas } from './scenarios/replicas.js';
import { restShim } from './scenarios/rest-shim.js';
import { scale } from './scenarios/scale.js';
import { importExport } from './scenarios/import-export.js';
import { sessionsPage } from './scenarios/sessions-page.js';
import { streaming } from './scenarios/streaming.js';
import { tailRead } from './scenarios/tail-read.js';

const scenarios: Scenario[] = [appendVsHistory, durableThroughput, tailRead, graphqlRead, restShim, scale, postgresStore, replicas, branchRead, streaming, sessionsPage, importExport];

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'no-write': { type: 'boolean', default: false } },
});
const only = values.only?.split(',');
const chosen = scenarios.filter((s) => !only || only.includes(s.id));
if (chosen.length === 0) throw new Error(`no scenario among: ${scenarios.map((s) => s.id).join(', ')}`);

console.log('[build] npm run build: the scenarios start the built server, as npm start does');
await buildServer();

const here = import.meta.dirname;
const results: ScenarioResult[] = [];
for (const scenario of chosen) {
  const workDir = await mkdtemp(path.join(tmpdir(), `bench-${scenario.id}-`));
  const began = performance.now();
  console.log(`[${scenario.id}] ${scenario.title}`);
  try {
    const result = await scenario.run({ quick: values.quick, workDir, progress: (line) => console.log(`[${scenario.id}] ${line}`) });
    results.push(result);
    for (const f of result.figures) console.log(`[${scenario.id}]   ${f.name}: ${f.value} ${f.unit}`);
    for (const q of result.ratios) console.log(`[${scenario.id}] ${q.name}: ${q.value} (target ${q.target}: ${q.met ? 'met' : 'NOT met'})`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(`[${scenario.id}] done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

if (!values['no-write']) {
  await writeReport(path.join(here, 'results.json'), path.join(here, '..', 'BENCHMARKS.md'), runInfo(values.quick), results);
  console.log('wrote bench/results.json and BENCHMARKS.md');
}
