// Writes a session with many messages straight to disk in the file store's own format (log, indexes, metadata),
// so tests and benchmarks can stand on a 100 000-message session without appending it message by message.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyRoleCounts } from '../../src/domain/message.js';
import { newSession, type Session } from '../../src/domain/session.js';
import { clientIdHash, encodeEntries, type IndexEntry } from '../../src/store/file/log-index.js';
import { encodeTreeEntries, messageIdHash, type TreeEntry } from '../../src/store/file/message-tree.js';
import { encodeRecord, type StoredMessage } from '../../src/store/file/record-codec.js';
import { encodeSessionFile } from '../../src/store/file/session-file.js';

export interface SessionFixture {
  session: Session;
  /** Size of messages.jsonl in bytes. */
  logBytes: number;
  /** Ids of the messages left behind by a regeneration (each the leaf of a branch of its own), oldest first. */
  abandonedIds: string[];
}

export interface SessionFixtureOptions {
  /**
   * How many times the conversation branches: that many messages, spread evenly, are regenerated (the next message
   * is an alternative to them, and the conversation goes on from it), so the active branch skips each of them.
   */
  branches?: number;
  /** Written as this store wrote sessions before conversations had branches: no parents, no tree.idx, format 1. */
  beforeBranches?: boolean;
  /** The content of message `seq` (default: its number and lorem ipsum filler of about `contentBytes`). */
  text?: (seq: number) => string;
}

/** A session of `count` user messages of about `contentBytes` each, under DATA_DIR/projects/{projectId}. */
export async function writeSessionFixture(dataDir: string, projectId: string, count: number, contentBytes = 250, options: SessionFixtureOptions = {}): Promise<SessionFixture> {
  const base = newSession(projectId, { title: `fixture of ${count}` });
  const dir = path.join(dataDir, 'projects', projectId, 'chat_sessions', base.id);
  await mkdir(dir, { recursive: true });
  const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(contentBytes / 27)).slice(0, contentBytes);
  const every = options.branches ? Math.floor(count / (options.branches + 1)) : 0;
  const chunks: Buffer[] = [];
  const entries: IndexEntry[] = [];
  const tree: TreeEntry[] = [];
  const abandonedIds: string[] = [];
  let offset = 0;
  // Each message follows the leaf; an abandoned one does not become it, so the next message is its alternative.
  let leaf = { seq: 0, id: null as string | null };
  for (let seq = 1; seq <= count; seq++) {
    const id = `m${seq}`;
    const parent = leaf;
    const record: StoredMessage = { seq, id, role: 'user', content: options.text ? options.text(seq) : `${seq} ${filler}`, metadata: {}, createdAt: base.createdAt, clientMessageId: null };
    if (!options.beforeBranches) Object.assign(record, { parent: parent.seq, parentId: parent.id });
    const line = Buffer.from(encodeRecord(record));
    entries.push({ offset, clientIdHash: clientIdHash(null) });
    tree.push({ parent: parent.seq, idHash: messageIdHash(id) });
    offset += line.length;
    chunks.push(line);
    if (every > 0 && seq % every === 0 && seq < count && abandonedIds.length < options.branches!) {
      abandonedIds.push(id);
    } else {
      leaf = { seq, id };
    }
  }
  await writeFile(path.join(dir, 'messages.jsonl'), Buffer.concat(chunks));
  await writeFile(path.join(dir, 'messages.idx'), encodeEntries(entries));
  const session: Session = {
    ...base,
    messageCount: count,
    lastMessageAt: count > 0 ? base.createdAt : null,
    messagesByRole: { ...emptyRoleCounts(), user: count },
    activeLeafId: leaf.id,
  };
  if (options.beforeBranches) {
    const { activeLeafId: _leaf, forkedFrom: _fork, ...fields } = session;
    await writeFile(path.join(dir, 'metadata.json'), `${JSON.stringify({ format: 1, ...fields, logBytes: offset }, null, 2)}\n`);
  } else {
    await writeFile(path.join(dir, 'tree.idx'), encodeTreeEntries(tree, 1));
    await writeFile(path.join(dir, 'metadata.json'), encodeSessionFile(session, offset, leaf.seq));
  }
  return { session, logBytes: offset, abandonedIds };
}
