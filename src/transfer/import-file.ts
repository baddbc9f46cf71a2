// Imports a file of conversations into a project: the whole file is read once to check it (a file that is not
// readable at all writes nothing) and count its conversations, then again to write each as a session, atomically and
// at most once (a conversation imported before gets the same session id and is skipped). Memory stays that of one
// conversation, whatever the file's size.
import { ValidationError } from '../domain/errors.js';
import { MESSAGE_METADATA_MAX_BYTES, type Message } from '../domain/message.js';
import { METADATA_MAX_BYTES, type Session } from '../domain/session.js';
import { jsonBytes } from '../domain/json.js';
import type { ChatStore } from '../store/store.js';
import { fromChatGpt, isChatGptConversation } from './chatgpt.js';
import { type ImportedConversation, type SourceFormat, toSession, UnreadableConversation } from './conversation.js';
import { fromNative, isNativeSession } from './native.js';
import { fromOpenWebUi, isOpenWebUiChat } from './open-webui.js';
import { type FileItem, readItems } from './read-items.js';

export interface ImportProblem {
  item: string;
  message: string;
}

export interface ImportReport {
  format: SourceFormat;
  dryRun: boolean;
  imported: number;
  skipped: number;
  messages: number;
  problems: ImportProblem[];
  /** The sessions created (none on a dry run). */
  sessions: Session[];
}

export interface ImportOptions {
  projectId: string;
  format: SourceFormat | 'auto';
  dryRun: boolean;
  maxMessageBytes: number;
  /** The file's name, as problems and errors name it. */
  label: string;
  /** Called after each conversation of the writing pass: how many are done, of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** Conversations written at the same time during an import. */
const WRITES_AT_ONCE = 8;
/** Problems listed in a report at most (the count of the rest is noted). */
const MAX_PROBLEMS = 1000;

const CONVERTERS: Record<SourceFormat, (item: unknown) => ImportedConversation> = { native: fromNative, chatgpt: fromChatGpt, 'open-webui': fromOpenWebUi };

function detect(item: unknown): SourceFormat | null {
  if (isNativeSession(item)) return 'native';
  if (isChatGptConversation(item)) return 'chatgpt';
  if (isOpenWebUiChat(item)) return 'open-webui';
  return null;
}

function itemName(item: FileItem): string {
  const value = item.value as { title?: unknown; id?: unknown; session?: { title?: unknown } } | null;
  const title = typeof value?.title === 'string' ? value.title : typeof value?.session?.title === 'string' ? value.session.title : null;
  const where = `${item.entry ? `${item.entry} ` : ''}#${item.index + 1}`;
  return title ? `${where} "${[...title].slice(0, 80).join('')}"` : where;
}

/** The session a file item becomes, or why it cannot. */
function convert(item: FileItem, format: SourceFormat, options: ImportOptions): { session: Session; messages: Message[]; notes: string[] } {
  const conversation = CONVERTERS[format](item.value);
  const built = toSession(options.projectId, conversation, new Date().toISOString());
  if (jsonBytes(built.session.metadata) > METADATA_MAX_BYTES) throw new UnreadableConversation(`its metadata is larger than ${METADATA_MAX_BYTES} bytes`);
  for (const message of built.messages) {
    if (Buffer.byteLength(message.content, 'utf8') > options.maxMessageBytes) throw new UnreadableConversation(`message ${message.id} is larger than MAX_MESSAGE_BYTES (${options.maxMessageBytes} bytes)`);
    if (jsonBytes(message.metadata) > MESSAGE_METADATA_MAX_BYTES) throw new UnreadableConversation(`the metadata of message ${message.id} is larger than ${MESSAGE_METADATA_MAX_BYTES} bytes`);
  }
  return { ...built, notes: conversation.notes };
}

export async function importFile(store: ChatStore, file: string, options: ImportOptions): Promise<ImportReport> {
  const problems: ImportProblem[] = [];
  let hidden = 0;
  const problem = (item: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ item, message });
    else hidden += 1;
  };
  // First pass: the file is read whole (a syntax error anywhere stops the import before anything is written), its
  // format decided from its first item, each conversation converted to find the ones that cannot be read.
  let format: SourceFormat | null = options.format === 'auto' ? null : options.format;
  let total = 0;
  const bad = new Set<number>();
  for await (const item of readItems(file, options.label)) {
    format ??= detect(item.value);
    if (format === null) throw new ValidationError([{ path: ['file'], message: `${options.label}: its first item is not a conversation of a known format (ChatGPT, Open WebUI, this service's export)` }]);
    total += 1;
    try {
      const { notes } = convert(item, format, options);
      for (const note of notes) problem(itemName(item), note);
    } catch (error) {
      if (!(error instanceof UnreadableConversation)) throw error;
      bad.add(item.index);
      problem(itemName(item), `not imported: ${error.message}`);
    }
  }
  const report: ImportReport = { format: format ?? (options.format === 'auto' ? 'native' : options.format), dryRun: options.dryRun, imported: 0, skipped: 0, messages: 0, problems, sessions: [] };
  if (format === null) return report;
  // Second pass: a few conversations are written at once, so that their syncs overlap (each session is written and
  // synced whole before it counts); memory holds only those few.
  let done = 0;
  const created = new Map<number, Session>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  for await (const item of readItems(file, options.label)) {
    if (failure !== null) break;
    if (bad.has(item.index)) continue;
    const { session, messages } = convert(item, format, options);
    const work = (async () => {
      const exists = options.dryRun
        ? (await store.getSessions([{ projectId: session.projectId, sessionId: session.id }]))[0] !== null
        : !(await store.importSession(session, messages));
      if (exists) report.skipped += 1;
      else {
        report.imported += 1;
        report.messages += messages.length;
        if (!options.dryRun) created.set(item.index, session);
      }
      done += 1;
      options.onProgress?.(done, total - bad.size);
    })().catch((error: unknown) => {
      failure ??= error;
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    if (inFlight.size >= WRITES_AT_ONCE) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  report.sessions = [...created.entries()].sort((a, b) => a[0] - b[0]).map(([, session]) => session);
  if (hidden > 0) problems.push({ item: '…', message: `${hidden} more problems not listed` });
  return report;
}
