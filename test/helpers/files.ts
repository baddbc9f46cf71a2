// Lists every file under a directory, to assert what a request did (or did not) write.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

/** The files of a data dir but its search index (DATA_DIR/search, which the file store opens at start). */
export async function listDataFiles(dataDir: string): Promise<string[]> {
  return (await listFiles(dataDir)).filter((file) => !file.startsWith(`search${path.sep}`));
}
