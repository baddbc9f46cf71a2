// Where the file store keeps things, and the guard that no id ever resolves outside DATA_DIR.
import path from 'node:path';
import { isValidId } from '../../domain/ids.js';
import type { SessionKey } from '../../domain/session.js';

export const METADATA_FILE = 'metadata.json';
export const MESSAGES_FILE = 'messages.jsonl';
/** Byte offsets of the messages in messages.jsonl; derived, rebuilt from the log when missing or wrong. */
export const INDEX_FILE = 'messages.idx';
/** Each message's parent and id hash (the conversation tree); derived like the index. */
export const TREE_FILE = 'tree.idx';
/** Prefixes of work-in-progress directories; ids cannot start with '.', so these never collide with sessions. */
export const TEMP_PREFIX = '.tmp-';
/** In a session folder in the trash: when it was deleted. */
export const TRASHED_FILE = 'trashed.json';
export const TRASH_PREFIX = '.trash-';

/** Resolves store paths under `DATA_DIR/projects`, refusing malformed ids and any path that would leave it. */
export class StorePaths {
  readonly root: string;
  /** `DATA_DIR/streams`: the journal of messages being streamed. */
  readonly streamsDir: string;

  constructor(dataDir: string) {
    this.root = path.join(path.resolve(dataDir), 'projects');
    this.streamsDir = path.join(path.resolve(dataDir), 'streams');
  }

  /** `DATA_DIR/projects/{projectId}/chat_sessions` */
  sessionsDir(projectId: string): string {
    return this.inside(path.join(this.root, checkId(projectId, 'project'), 'chat_sessions'));
  }

  /** `DATA_DIR/projects/{projectId}/retention.json`: the project's retention policy. */
  retentionFile(projectId: string): string {
    return this.inside(path.join(this.root, checkId(projectId, 'project'), 'retention.json'));
  }

  /** `DATA_DIR/projects/{projectId}/trash`: deleted sessions, whole, until they are restored or erased. */
  trashDir(projectId: string): string {
    return this.inside(path.join(this.root, checkId(projectId, 'project'), 'trash'));
  }

  /** `DATA_DIR/projects/{projectId}/trash/{sessionId}` */
  trashedDir(key: SessionKey): string {
    return this.inside(path.join(this.trashDir(key.projectId), checkId(key.sessionId, 'session')));
  }

  /** `DATA_DIR/projects/{projectId}/chat_sessions/{sessionId}` */
  sessionDir(key: SessionKey): string {
    return this.inside(path.join(this.sessionsDir(key.projectId), checkId(key.sessionId, 'session')));
  }

  private inside(resolved: string): string {
    const relative = path.relative(this.root, resolved);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`refusing a path outside the data directory: ${relative}`);
    }
    return resolved;
  }
}

function checkId(id: string, what: string): string {
  // The service validates ids first; this is the store's own last line of defence.
  if (!isValidId(id)) throw new Error(`refusing a malformed ${what} id`);
  return id;
}
