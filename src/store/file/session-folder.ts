// Writes a whole session folder in the store's format (log, index, metadata), every file synced: for importing a
// session, whether converted from the earlier service or copied from another store.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '../../domain/session.js';
import { fsyncDir, writeFileDurable } from './fs-utils.js';
import { clientIdHash, encodeEntries } from './log-index.js';
import { encodeTreeEntries, messageIdHash } from './message-tree.js';
import { INDEX_FILE, MESSAGES_FILE, METADATA_FILE, TREE_FILE } from './paths.js';
import { encodeRecord, parentSeqOf, type StoredMessage } from './record-codec.js';
import { encodeSessionFile } from './session-file.js';

/** Writes `session` (whose active leaf is message `activeLeafSeq`) and its records into `dir` (replaced if it exists); resolves to the log's length in bytes. */
export async function writeSessionFolder(dir: string, session: Session, records: readonly StoredMessage[], activeLeafSeq: number): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  const lines = records.map((record) => Buffer.from(encodeRecord(record), 'utf8'));
  let offset = 0;
  const entries = lines.map((line, i) => {
    const entry = { offset, clientIdHash: clientIdHash(records[i]!.clientMessageId) };
    offset += line.length;
    return entry;
  });
  await writeFileDurable(path.join(dir, MESSAGES_FILE), Buffer.concat(lines));
  await writeFileDurable(path.join(dir, INDEX_FILE), encodeEntries(entries));
  const tree = records.map((record) => ({ parent: parentSeqOf(record), idHash: messageIdHash(record.id) }));
  await writeFileDurable(path.join(dir, TREE_FILE), encodeTreeEntries(tree, 1));
  await writeFileDurable(path.join(dir, METADATA_FILE), encodeSessionFile(session, offset, activeLeafSeq));
  await fsyncDir(dir);
  return offset;
}
