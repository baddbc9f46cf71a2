// Scenario 12: importing a generated ChatGPT export of 500 MB (50 MB in a quick run) with `npm run import` into an
// empty file store: time, conversations and megabytes per second, and the importer's peak RSS (target < 300 MiB:
// memory must not grow with the file); then `npm run export` of the whole project as NDJSON, timed the same way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

const WORDS = ['the', 'model', 'answer', 'refund', 'policy', 'python', 'pandas', 'deploy', 'kubernetes', 'probe', 'latency', 'index', 'schema', 'query', 'café', 'naïve', '日本語', 'Zürich'];

/** One conversation as ChatGPT exports it: a hidden system root, then `turns` user/assistant pairs, one edited prompt. */
function conversation(n: number, turns: number, bytesPerMessage: number): string {
  const mapping: Record<string, unknown> = { root: { id: 'root', message: null, parent: null, children: ['sys'] } };
  mapping.sys = { id: 'sys', parent: 'root', children: [] as string[], message: { id: 'sys', author: { role: 'system', name: null, metadata: {} }, create_time: null, content: { content_type: 'text', parts: [''] }, weight: 0, metadata: { is_visually_hidden_from_conversation: true }, recipient: 'all' } };
  let parent = 'sys';
  const start = 1_700_000_000 + n * 600;
  for (let i = 0; i < turns * 2; i++) {
    const id = `c${n}-m${i}`;
    let text = '';
    for (let w = i; text.length < bytesPerMessage; w += 7) text += `${WORDS[(w * 31 + n) % WORDS.length]} `;
    mapping[id] = {
      id,
      parent,
      children: [] as string[],
      message: { id, author: { role: i % 2 === 0 ? 'user' : 'assistant', name: null, metadata: {} }, create_time: start + i * 5, update_time: null, content: { content_type: 'text', parts: [text] }, status: 'finished_successfully', weight: 1, metadata: { model_slug: 'gpt-4o' }, recipient: 'all' },
    };
    (mapping[parent] as { children: string[] }).children.push(id);
    parent = id;
  }
  return JSON.stringify({ title: `Generated conversation ${n}`, create_time: start, update_time: start + turns * 10, mapping, current_node: parent, conversation_id: `gen-${n}`, id: `gen-${n}` });
}

/** Writes a generated export of about `megabytes` MiB; returns how many conversations it holds. */
export async function writeExport(file: string, megabytes: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let n = 0;
  out.write('[\n');
  while (bytes < megabytes * 1024 * 1024) {
    const line = `${n > 0 ? ',\n' : ''}${conversation(n, 10, 1000)}`;
    bytes += Buffer.byteLength(line);
    n += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end('\n]\n');
  await once(out, 'finish');
  return n;
}

/**
 * Runs a built command as `npm run import` / `npm run export` do (the same Node flags: a heap of `heapMiB`, so that
 * V8 collects instead of growing the heap with the machine's memory), polling its peak RSS (VmHWM) until it exits.
 */
async function run(script: string, heapMiB: number, args: string[], env: Record<string, string>): Promise<{ seconds: number; peakMiB: number; output: string }> {
  const began = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let peak = 0;
  const poll = setInterval(() => {
    readFile(`/proc/${child.pid}/status`, 'utf8').then(
      (status) => {
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
      },
      () => undefined,
    );
  }, 100);
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  if (code !== 0) throw new Error(`${script} exited ${code}: ${output.slice(-2000)}`);
  return { seconds: (performance.now() - began) / 1000, peakMiB: peak, output };
}

export const importExport: Scenario = {
  id: 'import-export',
  title: 'Import a 500 MB ChatGPT export, export the project as NDJSON (CLI, file store)',
  async run({ quick, workDir, progress }) {
    const megabytes = quick ? 50 : 500;
    const file = path.join(workDir, 'conversations.json');
    const conversations = await writeExport(file, megabytes);
    const size = (await stat(file)).size;
    progress(`generated ${conversations.toLocaleString('en')} conversations, ${Math.round(size / 2 ** 20)} MiB`);
    const env = { DATA_DIR: path.join(workDir, 'data') };
    const imported = await run('dist/transfer/import-cli.js', 192, ['--project', 'bench', file], env);
    progress(imported.output.trim().split('\n').at(-1)!);
    const exported = await run('dist/transfer/export-cli.js', 128, ['--project', 'bench', '--out', path.join(workDir, 'export.ndjson')], env);
    const exportSize = (await stat(path.join(workDir, 'export.ndjson'))).size;
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: 'export file', value: round(size / 2 ** 20), unit: `MiB, ${conversations.toLocaleString('en')} conversations of 20 messages` },
        { name: 'import time', value: round(imported.seconds), unit: `s (${Math.round(conversations / imported.seconds)} conversations/s, ${round(size / 2 ** 20 / imported.seconds)} MiB/s)` },
        { name: 'import peak RSS', value: round(imported.peakMiB), unit: 'MiB' },
        { name: 'export of the project (NDJSON) time', value: round(exported.seconds), unit: `s (${Math.round(exportSize / 2 ** 20)} MiB written)` },
        { name: 'export peak RSS', value: round(exported.peakMiB), unit: 'MiB' },
      ],
      ratios: [ratio('import peak RSS, MiB', imported.peakMiB, '<= 300'), ratio('export peak RSS, MiB', exported.peakMiB, '<= 300')],
    };
  },
};
