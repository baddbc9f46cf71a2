// The file store's trash: a deleted session's folder moves, whole, from chat_sessions/ to trash/ of its project, with
// trashed.json saying when; restoring moves it back, erasing removes it. Each move is one rename (and fsyncs of both
// directories), so a crash leaves a session in one place or the other, never half in both. A project's trash is read
// from disk on first use and then kept in memory.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { nanoid } from 'nanoid';
import type { Logger } from 'pino';
import { isValidId } from '../../domain/ids.js';
import type { Session, SessionKey } from '../../domain/session.js';
import type { TrashedSession } from '../store.js';
import { fsyncDir, writeFileDurable } from './fs-utils.js';
import { type StorePaths, TRASH_PREFIX, TRASHED_FILE } from './paths.js';
import { readSessionFile } from './session-file.js';

export class SessionTrash {
  private readonly projects = new Map<string, Promise<Map<string, TrashedSession>>>();

  constructor(
    private readonly paths: StorePaths,
    private readonly logger: Logger,
  ) {}

  /** The project's trash, read once. */
  private load(projectId: string): Promise<Map<string, TrashedSession>> {
    let loaded = this.projects.get(projectId);
    if (!loaded) {
      loaded = this.read(projectId).catch((error: unknown) => {
        this.projects.delete(projectId);
        throw error;
      });
      this.projects.set(projectId, loaded);
    }
    return loaded;
  }

  private async read(projectId: string): Promise<Map<string, TrashedSession>> {
    const dir = this.paths.trashDir(projectId);
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const trash = new Map<string, TrashedSession>();
    for (const name of names) {
      // What an erase interrupted by a crash left behind.
      if (name.startsWith(TRASH_PREFIX)) await rm(path.join(dir, name), { recursive: true, force: true });
      if (!isValidId(name)) continue;
      const folder = path.join(dir, name);
      try {
        const { session } = await readSessionFile(folder);
        const { deletedAt } = JSON.parse(await readFile(path.join(folder, TRASHED_FILE), 'utf8')) as { deletedAt: string };
        trash.set(name, { session, deletedAt });
      } catch (error) {
        this.logger.error({ err: error, dir: folder }, 'a session in the trash cannot be read; it is left out of the trash');
      }
    }
    return trash;
  }

  async list(projectId: string): Promise<TrashedSession[]> {
    const trash = await this.load(projectId);
    return [...trash.values()].sort((a, b) => (a.deletedAt !== b.deletedAt ? (a.deletedAt < b.deletedAt ? 1 : -1) : a.session.id < b.session.id ? 1 : -1));
  }

  async has(key: SessionKey): Promise<boolean> {
    return (await this.load(key.projectId)).has(key.sessionId);
  }

  /** Moves a live session's folder (its files closed and up to date) into the trash. */
  async put(dir: string, session: Session, deletedAt: string): Promise<void> {
    const key = { projectId: session.projectId, sessionId: session.id };
    const trash = await this.load(key.projectId);
    await writeFileDurable(path.join(dir, TRASHED_FILE), JSON.stringify({ deletedAt }), 'w');
    const trashDir = this.paths.trashDir(key.projectId);
    const created = await mkdir(trashDir, { recursive: true });
    if (created !== undefined) await fsyncDir(path.dirname(trashDir));
    await rename(dir, this.paths.trashedDir(key));
    await fsyncDir(trashDir);
    await fsyncDir(path.dirname(dir));
    trash.set(key.sessionId, { session, deletedAt });
  }

  /** Moves a session's folder back to `dir`; false when it is not in the trash. */
  async take(key: SessionKey, dir: string): Promise<boolean> {
    const trash = await this.load(key.projectId);
    if (!trash.has(key.sessionId)) return false;
    await rename(this.paths.trashedDir(key), dir);
    await fsyncDir(path.dirname(dir));
    await fsyncDir(this.paths.trashDir(key.projectId));
    await rm(path.join(dir, TRASHED_FILE), { force: true });
    trash.delete(key.sessionId);
    return true;
  }

  /** Erases a session in the trash: one rename out of it, then its files; false when it is not there. */
  async erase(key: SessionKey): Promise<boolean> {
    const trash = await this.load(key.projectId);
    if (!trash.has(key.sessionId)) return false;
    const trashDir = this.paths.trashDir(key.projectId);
    const doomed = path.join(trashDir, `${TRASH_PREFIX}${key.sessionId}-${nanoid(8)}`);
    await rename(this.paths.trashedDir(key), doomed);
    await fsyncDir(trashDir);
    trash.delete(key.sessionId);
    await rm(doomed, { recursive: true, force: true });
    return true;
  }
}
