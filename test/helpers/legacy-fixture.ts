// Generates data dirs as the earlier Python service wrote them, both layouts, for the migration tests.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface LegacySessionSpec {
  layout: 'nested' | 'flat';
  /** Nested: the project folder. Flat: the project_id written in metadata.json, or none. */
  projectId: string | null;
  messages: number;
}

export interface LegacySessionData {
  spec: LegacySessionSpec;
  dir: string;
  metadata: Record<string, unknown>;
  messages: Record<string, unknown>[];
}

const SAMPLES = ['Hello', 'Grüße aus Köln', '日本語のメッセージ', 'emoji 🎉🚀', 'line one\nline two', '"quoted" \\ backslash', 'مرحبا', ''];
const ROLES = ['user', 'assistant', 'system', 'tool'];

/** A timestamp in one of the shapes the old service wrote: with Z, with an offset, or naive (UTC), often microseconds. */
function timestamp(ms: number, style: number): string {
  const iso = new Date(ms).toISOString();
  if (style % 3 === 0) return iso;
  if (style % 3 === 1) return `${iso.slice(0, 23)}456`; // naive, microseconds
  const shifted = new Date(ms + 2 * 3600_000).toISOString();
  return `${shifted.slice(0, 19)}.${shifted.slice(20, 23)}000+02:00`;
}

export async function writeLegacySession(dataDir: string, spec: LegacySessionSpec, seed: number): Promise<LegacySessionData> {
  const id = randomUUID();
  const dir = spec.layout === 'nested' ? path.join(dataDir, 'projects', spec.projectId!, 'chat_sessions', id) : path.join(dataDir, 'chat_sessions', id);
  await mkdir(dir, { recursive: true });
  const start = Date.UTC(2024, 0, 1) + seed * 86_400_000;
  const messages = Array.from({ length: spec.messages }, (_, i) => {
    const at = timestamp(start + i * 1000, seed + i);
    return {
      id: randomUUID(),
      session_id: id,
      role: ROLES[(seed + i) % ROLES.length],
      content: `${SAMPLES[(seed + i) % SAMPLES.length]} #${i}`,
      metadata: i % 4 === 0 ? null : { n: i, tags: ['a', 'ü'] },
      ...((seed + i) % 2 === 0 ? { timestamp: at } : { created_at: at }),
    };
  });
  const metadata: Record<string, unknown> = {
    id,
    title: `Session ${seed} — ${SAMPLES[seed % SAMPLES.length] || 'untitled'}`,
    description: seed % 3 === 0 ? null : `Described ${seed}`,
    metadata: { source: 'legacy', seed },
    is_active: seed % 5 !== 0,
    created_at: timestamp(start, seed),
    updated_at: timestamp(start + spec.messages * 1000, seed + 1),
    message_count: spec.messages,
  };
  if (spec.layout === 'flat' && spec.projectId) metadata.project_id = spec.projectId;
  await writeFile(path.join(dir, 'metadata.json'), JSON.stringify(metadata, null, 2));
  await writeFile(path.join(dir, 'messages.json'), JSON.stringify(messages, null, 2));
  return { spec, dir, metadata, messages };
}

/** Many sessions over both layouts; messages per session vary from 0 to `maxMessages`. */
export async function writeLegacyDataDir(dataDir: string, options: { nested: number; flat: number; flatWithoutProject?: number; maxMessages: number }) {
  const sessions: LegacySessionData[] = [];
  let seed = 0;
  for (let i = 0; i < options.nested; i++, seed++) sessions.push(await writeLegacySession(dataDir, { layout: 'nested', projectId: `proj-${i % 3}`, messages: (seed * 37) % (options.maxMessages + 1) }, seed));
  for (let i = 0; i < options.flat; i++, seed++) sessions.push(await writeLegacySession(dataDir, { layout: 'flat', projectId: `flat-${i % 2}`, messages: (seed * 37) % (options.maxMessages + 1) }, seed));
  for (let i = 0; i < (options.flatWithoutProject ?? 0); i++, seed++) sessions.push(await writeLegacySession(dataDir, { layout: 'flat', projectId: null, messages: seed % 7 }, seed));
  return sessions;
}

/** A hash of every file's path and bytes under `dir`: equal hashes mean not a byte changed. */
export async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
  for (const file of entries) hash.update(path.relative(dir, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex');
}
