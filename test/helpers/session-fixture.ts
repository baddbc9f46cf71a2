// Writes a session with many messages straight to disk in the file store's own format (log, index, metadata),
// so tests and benchmarks can stand on a 100 000-message session without appending it message by message.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyRoleCounts } from '../../src/domain/message.js';
import { newSession, type Session } from '../../src/domain/session.js';
import { clientIdHash, encodeEntries, type IndexEntry } from '../../src/store/file/log-index.js';
import { encodeRecord } from '../../src/store/file/record-codec.js';
import { encodeSessionFile } from '../../src/store/file/session-file.js';

export interface SessionFixture {
  session: Session;
  /** Size of messages.jsonl in bytes. */
  logBytes: number;
}

/** A session of `count` user messages of about `contentBytes` each, under DATA_DIR/projects/{projectId}. */
export async function writeSessionFixture(dataDir: string, projectId: string, count: number, contentBytes = 250): Promise<SessionFixture> {
  const base = newSession(projectId, { title: `fixture of ${count}` });
  const dir = path.join(dataDir, 'projects', projectId, 'chat_sessions', base.id);
  await mkdir(dir, { recursive: true });
  const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(contentBytes / 27)).slice(0, contentBytes);
  const chunks: Buffer[] = [];
  const entries: IndexEntry[] = [];
  let offset = 0;
  for (let seq = 1; seq <= count; seq++) {
    const line = Buffer.from(
      encodeRecord({ seq, id: `m${seq}`, role: 'user', content: `${seq} ${filler}`, metadata: {}, createdAt: base.createdAt, clientMessageId: null }),
    );
    entries.push({ offset, clientIdHash: clientIdHash(null) });
    offset += line.length;
    chunks.push(line);
  }
  await writeFile(path.join(dir, 'messages.jsonl'), Buffer.concat(chunks));
  await writeFile(path.join(dir, 'messages.idx'), encodeEntries(entries));
  const session: Session = {
    ...base,
    messageCount: count,
    lastMessageAt: count > 0 ? base.createdAt : null,
    messagesByRole: { ...emptyRoleCounts(), user: count },
  };
  await writeFile(path.join(dir, 'metadata.json'), encodeSessionFile(session, offset));
  return { session, logBytes: offset };
}
