// Finds legacy sessions in a data dir: the nested and the flat layouts, and sessions a killed migration moved aside.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { exists } from '../store/file/fs-utils.js';

export const LEGACY_MESSAGES = 'messages.json';
/** Where a migration keeps a legacy session while it swaps in the converted one. */
export const ASIDE_PREFIX = '.legacy-';

export interface LegacySource {
  /** The directory holding the legacy metadata.json and messages.json. */
  dir: string;
  layout: 'nested' | 'flat';
  /** The directory name: the session id as the old service stored it. */
  sessionId: string;
  /** For nested sessions, the project directory they are in. */
  projectId: string | null;
}

async function dirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Every legacy session under `dataDir`, in a stable order. Folders are checked in parallel: start-up runs this. */
export async function findLegacySessions(dataDir: string): Promise<LegacySource[]> {
  const projectsDir = path.join(dataDir, 'projects');
  const nested = await Promise.all(
    (await dirs(projectsDir)).sort().map(async (projectId) => {
      const sessionsDir = path.join(projectsDir, projectId, 'chat_sessions');
      const found = await Promise.all(
        (await dirs(sessionsDir)).sort().map(async (name): Promise<LegacySource | null> => {
          const dir = path.join(sessionsDir, name);
          const aside = name.startsWith(ASIDE_PREFIX);
          if ((!aside && name.startsWith('.')) || !(await exists(path.join(dir, LEGACY_MESSAGES)))) return null;
          return { dir, layout: 'nested', sessionId: aside ? name.slice(ASIDE_PREFIX.length) : name, projectId };
        }),
      );
      return found.filter((source): source is LegacySource => source !== null);
    }),
  );
  const flatDir = path.join(dataDir, 'chat_sessions');
  const flat = (await dirs(flatDir))
    .sort()
    .filter((name) => !name.startsWith('.'))
    .map((name): LegacySource => ({ dir: path.join(flatDir, name), layout: 'flat', sessionId: name, projectId: null }));
  return [...nested.flat(), ...flat];
}

/** The first legacy file or folder in `dataDir`, if any: the server will not start on such a data dir. */
export async function findLegacyData(dataDir: string): Promise<string | null> {
  if (await exists(path.join(dataDir, 'chat_sessions'))) return path.join(dataDir, 'chat_sessions');
  const [first] = await findLegacySessions(dataDir);
  return first?.dir ?? null;
}
