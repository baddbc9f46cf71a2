// The "Stream a demo reply" writer: a canned assistant reply (no model is called) sent through startMessage,
// appendMessageContent and finishMessage, a chunk at a time. Its progress lives on the server (the message's
// chunkCount) and which message it writes lives in sessionStorage, so a reload mid-reply picks up where the server
// stands: a chunk index sent twice is stored once, so nothing is lost or doubled.
import { request } from '../api/client';
import { AppendContentMutation, FinishMessageMutation, StartMessageMutation } from '../api/operations';
import { DEMO_REPLY_CHUNKS } from './demo-reply';

const KEY = 'chat.demoWriters';
const CHUNK_INTERVAL_MS = 120;

interface Writing {
  projectId: string;
  sessionId: string;
  messageId: string;
}

function saved(): Writing[] {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function save(writings: Writing[]): void {
  sessionStorage.setItem(KEY, JSON.stringify(writings));
}

/** A writer that gave up (the server unreachable for seconds): the server ends the stream as INCOMPLETE when idle. */
function reportWriterFailure(error: unknown): void {
  console.warn('the demo reply stopped:', error);
}

const running = new Map<string, { stopped: boolean }>();

/** Whether this tab writes (or wrote, before a reload) that message. */
export function isDemoWriting(messageId: string): boolean {
  return saved().some((w) => w.messageId === messageId);
}

/**
 * Starts a demo reply after `parentId` (after the active leaf when null; as a first message when `root`); resolves
 * once its message exists.
 */
export async function startDemoReply(projectId: string, sessionId: string, parentId: string | null, root: boolean): Promise<string> {
  const data = await request(StartMessageMutation, {
    projectId,
    sessionId,
    input: { role: 'ASSISTANT', metadata: { demo: true }, ...(parentId ? { parentId } : root ? { root: true } : {}) },
  });
  const result = data.startMessage;
  if (result.__typename !== 'StartMessageSuccess') throw new Error('error' in result ? result.error : 'could not start the reply');
  save([...saved(), { projectId, sessionId, messageId: result.message.id }]);
  write({ projectId, sessionId, messageId: result.message.id }, 0).catch(reportWriterFailure);
  return result.message.id;
}

/** Continues a reply this tab was writing before a reload, from the chunk the server has next. */
export function resumeDemoReply(projectId: string, sessionId: string, messageId: string, chunkCount: number): void {
  if (running.has(messageId) || !isDemoWriting(messageId)) return;
  write({ projectId, sessionId, messageId }, chunkCount).catch(reportWriterFailure);
}

/** Ends the reply where it stands, as INCOMPLETE. */
export async function stopDemoReply(projectId: string, sessionId: string, messageId: string): Promise<void> {
  const state = running.get(messageId);
  if (state) state.stopped = true;
  await finish({ projectId, sessionId, messageId }, 'INCOMPLETE');
}

async function write(writing: Writing, from: number): Promise<void> {
  const state = { stopped: false };
  running.set(writing.messageId, state);
  try {
    for (let index = from; index < DEMO_REPLY_CHUNKS.length; index++) {
      await new Promise((resolve) => setTimeout(resolve, CHUNK_INTERVAL_MS));
      if (state.stopped) return;
      const data = await withRetries(() => request(AppendContentMutation, { ...writing, index, chunk: DEMO_REPLY_CHUNKS[index]! }));
      // Finished meanwhile (Stop in another tab, the idle timeout): nothing more to write.
      if (data.appendMessageContent.__typename !== 'AppendContentSuccess') return forget(writing.messageId);
    }
    if (!state.stopped) await finish(writing, 'COMPLETE');
  } finally {
    running.delete(writing.messageId);
  }
}

/** Sends again after a network failure: a chunk index sent twice is stored once. */
async function withRetries<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function finish(writing: Writing, status: 'COMPLETE' | 'INCOMPLETE'): Promise<void> {
  await withRetries(() => request(FinishMessageMutation, { ...writing, status }));
  forget(writing.messageId);
}

function forget(messageId: string): void {
  save(saved().filter((w) => w.messageId !== messageId));
}
