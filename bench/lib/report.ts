// Writes bench/results.json and the results section of BENCHMARKS.md from one run.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { ScenarioResult } from './types.js';

const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export interface RunInfo {
  date: string;
  commit: string;
  node: string;
  cpus: number;
  cpuModel: string;
  quick: boolean;
}

export function runInfo(quick: boolean): RunInfo {
  return { date: new Date().toISOString(), commit: commit(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', quick };
}

function table(info: RunInfo, results: readonly ScenarioResult[]): string {
  const lines = [
    `Run of ${info.date} at commit \`${info.commit}\`, Node ${info.node}, ${info.cpus} CPUs (${info.cpuModel})${info.quick ? ', **quick** run' : ''}.`,
    '',
    '| scenario | ratio | value | target | met |',
    '|---|---|---|---|---|',
  ];
  for (const r of results) for (const q of r.ratios) lines.push(`| ${r.title} | ${q.name} | **${q.value}** | ${q.target} | ${q.met ? 'yes' : 'NO'} |`);
  lines.push('', '| scenario | figure | value |', '|---|---|---|');
  for (const r of results) for (const f of r.figures) lines.push(`| ${r.title} | ${f.name} | ${f.value} ${f.unit} |`);
  return lines.join('\n');
}

/** Saves the run; BENCHMARKS.md keeps its text and gets the tables between its result markers replaced. */
export async function writeReport(resultsFile: string, markdownFile: string, info: RunInfo, results: readonly ScenarioResult[]): Promise<void> {
  await writeFile(resultsFile, `${JSON.stringify({ ...info, scenarios: results }, null, 2)}\n`);
  const markdown = await readFile(markdownFile, 'utf8');
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${markdownFile} lacks the ${START} ... ${END} markers`);
  await writeFile(markdownFile, `${markdown.slice(0, start + START.length)}\n${table(info, results)}\n${markdown.slice(end)}`);
}
