// Small file-system steps: whether a path exists, fsync a directory, replace a file atomically.
import { access, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { nanoid } from 'nanoid';

/** Whether `file` exists (and can be seen by this process). */
export async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Makes a directory's entries (creations, renames, removals) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a new file and fsyncs it. */
export async function writeFileDurable(file: string, data: string | Uint8Array, flag = 'wx'): Promise<void> {
  const handle = await open(file, flag, 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` with `data` so that a crash leaves either the old or the new content: temp file, fsync, rename, fsync dir. */
export async function replaceFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${nanoid(8)}.tmp`);
  try {
    await writeFileDurable(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}
