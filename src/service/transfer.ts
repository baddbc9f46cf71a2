// Import and export for the service: reads what an export needs through the store (every message of every branch,
// the active branch for Markdown, a project one session at a time) and runs an import with the service's limits.
import type { Message } from '../domain/message.js';
import type { Session, SessionKey } from '../domain/session.js';
import type { ChatStore } from '../store/store.js';
import { importFile, type ImportReport } from '../transfer/import-file.js';
import type { SourceFormat } from '../transfer/conversation.js';
import { toMarkdown } from '../transfer/markdown.js';
import { nativeJson } from '../transfer/native.js';

/** Messages read per store call while exporting. */
const EXPORT_PAGE = 1000;

export type ImportFormatChoice = SourceFormat | 'auto';

/** Every message of a session, in sequence order, a page at a time. */
async function* messagePages(store: ChatStore, key: SessionKey, count: number): AsyncGenerator<Message[]> {
  for (let from = 1; from <= count; from += EXPORT_PAGE) {
    const [page] = await store.readMessages([{ ...key, fromSeq: from, toSeq: from + EXPORT_PAGE - 1 }]);
    yield page ?? [];
  }
}

/** A session as this service's export (NATIVE), as JSON text in pieces: memory holds a page of messages at a time. */
export function exportNative(store: ChatStore, session: Session): AsyncGenerator<string> {
  return nativeJson(session, messagePages(store, { projectId: session.projectId, sessionId: session.id }, session.messageCount));
}

export async function exportMarkdown(store: ChatStore, session: Session): Promise<string> {
  const [page] = await store.readBranches([{ projectId: session.projectId, sessionId: session.id, leafId: null, window: (length) => ({ from: 1, to: length }) }]);
  return toMarkdown(session, page?.messages ?? []);
}

/**
 * Every session of a project (archived ones too, not the trash) as NDJSON text in pieces: one session a line, each
 * line written a page of messages at a time.
 */
export async function* exportProject(store: ChatStore, projectId: string): AsyncGenerator<string> {
  const sessions = await store.listSessions(projectId, { includeInactive: true });
  for (const listed of sessions) {
    // Read again as it is now: it may have changed, or gone, since the list.
    const [session] = await store.getSessions([{ projectId, sessionId: listed.id }]);
    if (!session) continue;
    yield* exportNative(store, session);
    yield '\n';
  }
}

export function runImport(
  store: ChatStore,
  projectId: string,
  file: { path: string; label: string },
  options: { format: ImportFormatChoice; dryRun: boolean; maxMessageBytes: number; onProgress?: (done: number, total: number) => void },
): Promise<ImportReport> {
  return importFile(store, file.path, { projectId, label: file.label, ...options });
}
