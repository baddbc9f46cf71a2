// Streamed messages on the file store. A STREAMING message is appended to its session's log like any other (its
// record says STREAMING and holds the content known at the start); its chunks go to the store-wide stream journal,
// where the chunks of every stream share group commits; finishing writes the whole content as the message's final
// record in its session's log (MessageLog.appendFinal), after which it is read like a message written whole.
import type { Logger } from 'pino';
import { NotFoundError } from '../../domain/errors.js';
import type { Message, MessageChunk } from '../../domain/message.js';
import type { SessionKey } from '../../domain/session.js';
import type { ChunkResult, ChunkWrite, FinishRequest, FinishResult, MessageKey, StoredChunks } from '../store.js';
import { checkChunk, checkFinish, chunksOfContent, laterTime } from '../stream-rules.js';
import type { MessageLog } from './message-log.js';
import { recordOf } from './record-codec.js';
import { SerialQueue } from './serial-queue.js';
import type { SessionEntry } from './session-entry.js';
import { type JournaledStream, StreamJournal, streamKey } from './stream-journal.js';
import type { WriteFaultHook } from './write-faults.js';

/** What the streams need of the file store. */
export interface StreamHost {
  /** The live entry of a session, or null. */
  entry(key: SessionKey): Promise<SessionEntry | null>;
  /** Runs `fn` with the session's log open. */
  useLog<T>(entry: SessionEntry, fn: (log: MessageLog) => Promise<T>): Promise<T>;
  /** Writes a final record through the session's queue, as its appends are written; null when the session is gone. */
  writeFinal(entry: SessionEntry, write: (log: MessageLog) => Promise<Message>): Promise<Message | null>;
  /** Whether a session is in its project's trash (its streams wait: it may be restored). */
  inTrash(key: SessionKey): Promise<boolean>;
  /** Runs a write, turning disk errors into what clients should see. */
  writing<T>(op: () => Promise<T>): Promise<T>;
}

/** One STREAMING message being written: its chunks and finish run one at a time. */
interface StreamState {
  key: SessionKey;
  id: string;
  /** The message as its log holds it (STREAMING, with the content known at the start), or its final form once `done`. */
  base: Message;
  done: boolean;
  /** Its content's size so far, UTF-8 bytes. */
  bytes: number;
  queue: SerialQueue;
}

export class FileStreams {
  private readonly journal: StreamJournal;
  private opened: Promise<void> | null = null;
  private readonly states = new Map<string, StreamState>();

  constructor(
    dir: string,
    private readonly host: StreamHost,
    private readonly logger: Logger,
    faultHook?: WriteFaultHook,
  ) {
    this.journal = new StreamJournal(dir, logger, faultHook);
  }

  /** Reads the journal once, on first need (a restart's STREAMING messages get their chunks back). */
  private ready(): Promise<void> {
    this.opened ??= this.journal.open().then(
      (streams) => {
        if (streams.size > 0) this.logger.info({ streams: streams.size }, 'streamed messages still open at the last stop are back from the stream journal');
      },
      (error: unknown) => {
        this.opened = null;
        throw error;
      },
    );
    return this.opened;
  }

  /** Before a STREAMING message is appended: its stream is journaled, so that it is ended even if the writer never comes back. */
  async begin(key: SessionKey, id: string): Promise<void> {
    await this.ready();
    await this.host.writing(() => this.journal.write([{ k: 's', p: key.projectId, s: key.sessionId, id, at: Date.now() }]));
  }

  /** The messages as readers should see them: a STREAMING one with the chunks received so far. */
  async live(messages: Message[]): Promise<Message[]> {
    if (!messages.some((m) => m.status === 'streaming')) return messages;
    await this.ready();
    return messages.map((m) => (m.status === 'streaming' ? this.overlay(m) : m));
  }

  async liveOne(message: Message): Promise<Message> {
    return (await this.live([message]))[0]!;
  }

  private overlay(message: Message): Message {
    const stream = this.journal.streams.get(streamKey(message, message.id));
    if (!stream || message.status !== 'streaming') return message;
    const at = new Date(stream.lastAt).toISOString();
    return {
      ...message,
      content: message.content + stream.text,
      chunkCount: stream.chunks.length,
      updatedAt: stream.chunks.length > 0 && at > message.createdAt ? at : message.createdAt,
    };
  }

  private current(state: StreamState): Message {
    return state.done ? state.base : this.overlay(state.base);
  }

  /** The state of a message's stream (kept only while it is STREAMING); NotFoundError when the message is not in the session. */
  private async state(entry: SessionEntry, key: MessageKey): Promise<StreamState> {
    const id = streamKey(key, key.messageId);
    const known = this.states.get(id);
    if (known) return known;
    const message = await this.host.useLog(entry, (log) => log.findMessage(key.messageId));
    if (!message) throw NotFoundError.message(key.sessionId, key.messageId);
    const raced = this.states.get(id);
    if (raced) return raced;
    const streaming = message.status === 'streaming';
    const state: StreamState = {
      key: { projectId: key.projectId, sessionId: key.sessionId },
      id: key.messageId,
      base: message,
      done: !streaming,
      bytes: Buffer.byteLength(this.overlay(message).content, 'utf8'),
      queue: new SerialQueue(),
    };
    if (streaming) this.states.set(id, state);
    return state;
  }

  async appendChunk(write: ChunkWrite): Promise<ChunkResult | null> {
    await this.ready();
    const entry = await this.host.entry(write);
    if (!entry) return null;
    const state = await this.state(entry, write);
    return state.queue.run(async () => {
      if (entry.deleted) return null;
      const stream = state.done ? undefined : this.journal.streams.get(streamKey(write, write.messageId));
      // What the check needs, without building the whole message with its content (that is done once, for the answer).
      const progress = state.done ? state.base : { id: state.id, status: state.base.status, chunkCount: stream ? stream.chunks.length : state.base.chunkCount };
      if (checkChunk(progress, write.index, write.chunk, state.bytes, write.maxBytes) === 'repeat') return { message: this.current(state), appended: false };
      const base = { p: write.projectId, s: write.sessionId, id: write.messageId };
      const at = Date.now();
      // A stream the journal does not know (it was ended by a sweep of a stale journal entry meanwhile) is begun again.
      const begin = stream ? [] : [{ k: 's' as const, ...base, at }];
      await this.host.writing(() => this.journal.write([...begin, { k: 'c', ...base, i: write.index, c: write.chunk, at }]));
      state.bytes += Buffer.byteLength(write.chunk, 'utf8');
      return { message: this.current(state), appended: true };
    });
  }

  async finishMessage(request: FinishRequest): Promise<FinishResult | null> {
    await this.ready();
    const entry = await this.host.entry(request);
    if (!entry) return null;
    const state = await this.state(entry, request);
    return state.queue.run(() => this.finish(entry, state, request.status, request.metadata));
  }

  /** Ends a stream (run from its queue); with `idleSince`, only if it has had no chunk since then. */
  private async finish(entry: SessionEntry, state: StreamState, status: 'complete' | 'incomplete', metadata: Message['metadata'], idleSince?: number): Promise<FinishResult | null> {
    const current = this.current(state);
    if (checkFinish(current, status) === 'same') return { message: current, changed: false };
    const stream = this.journal.streams.get(streamKey(state.key, state.id));
    if (idleSince !== undefined && stream && stream.lastAt >= idleSince) return null;
    const lengths = stream?.chunks.map((c) => c.length) ?? [];
    const now = new Date().toISOString();
    const final: Message = {
      ...current,
      status,
      metadata: { ...current.metadata, ...metadata },
      updatedAt: laterTime(now, current.updatedAt),
      chunkCount: lengths.length,
    };
    const message = await this.host.writeFinal(entry, async (log) => log.appendFinal(recordOf(final, log.tree.parentOf(final.sequence), lengths)));
    if (!message) return null;
    state.done = true;
    state.base = message;
    this.states.delete(streamKey(state.key, state.id));
    await this.end(state.key, state.id);
    return { message, changed: true };
  }

  /** Notes in the journal that a stream is over (its final record is durable, or its message is gone). */
  private async end(key: SessionKey, id: string): Promise<void> {
    await this.journal.write([{ k: 'e', p: key.projectId, s: key.sessionId, id }]).catch((error: unknown) => {
      // Harmless: the next sweep finds the message finished and notes it again.
      this.logger.warn({ err: error }, 'noting the end of a stream in the journal failed');
    });
  }

  async readChunks(key: MessageKey, afterIndex: number): Promise<StoredChunks | null> {
    const entry = await this.host.entry(key);
    if (!entry) return null;
    const found = await this.host.useLog(entry, async (log) => {
      const message = await log.findMessage(key.messageId);
      return message && { message, lengths: message.status === 'streaming' ? [] : await log.chunkLengthsOf(message.sequence) };
    });
    if (!found) throw NotFoundError.message(key.sessionId, key.messageId);
    const message = await this.liveOne(found.message);
    if (message.status !== 'streaming') return { message, chunks: chunksOfContent(message.content, found.lengths, afterIndex) };
    const stream = this.journal.streams.get(streamKey(key, key.messageId));
    const chunks: MessageChunk[] = [];
    for (let i = afterIndex + 1; i < message.chunkCount; i++) chunks.push({ index: i, chunk: stream!.chunks[i]! });
    return { message, chunks };
  }

  /** Ends as INCOMPLETE every stream with no chunk since `idleSince`; streams whose message or session is gone are dropped. */
  async finishIdle(idleSince: number): Promise<Message[]> {
    await this.ready();
    const idle: JournaledStream[] = [...this.journal.streams.values()].filter((s) => s.lastAt < idleSince);
    const finished: Message[] = [];
    for (const stream of idle) {
      try {
        const entry = await this.host.entry(stream.key);
        const state = entry ? await this.state(entry, { ...stream.key, messageId: stream.id }).catch((error: unknown) => (error instanceof NotFoundError ? null : Promise.reject(error))) : null;
        if (!entry && (await this.host.inTrash(stream.key))) continue;
        if (!entry || !state) {
          this.states.delete(streamKey(stream.key, stream.id));
          await this.end(stream.key, stream.id);
          continue;
        }
        const result = await state.queue.run(async () => {
          if (state.done) {
            await this.end(stream.key, stream.id);
            return null;
          }
          return this.finish(entry, state, 'incomplete', {}, idleSince);
        });
        if (result?.changed) finished.push(result.message);
      } catch (error) {
        this.logger.warn({ err: error, ...stream.key, messageId: stream.id }, 'ending an idle stream failed; the next sweep tries again');
      }
    }
    return finished;
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
