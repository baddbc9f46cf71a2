// The rules of a streamed message that every store applies inside its own atomic step: which chunk index comes next,
// how large the content may grow, and which finishes are allowed.
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { Message } from '../domain/message.js';

/** Whether chunk `index` is new ('append') or stored already ('repeat'); throws when it may not be stored at all. */
export function checkChunk(message: Pick<Message, 'id' | 'status' | 'chunkCount'>, index: number, chunk: string, contentBytes: number, maxBytes: number): 'append' | 'repeat' {
  if (message.status !== 'streaming') throw new ConflictError(`Message ${message.id} is ${message.status.toUpperCase()}, not STREAMING: it takes no more chunks`);
  if (index < message.chunkCount) return 'repeat';
  if (index > message.chunkCount) throw new ConflictError(`Message ${message.id} expects chunk ${message.chunkCount} next, not ${index}`);
  if (contentBytes + Buffer.byteLength(chunk, 'utf8') > maxBytes) {
    throw new ValidationError([{ path: ['chunk'], message: `the message's content would exceed ${maxBytes} bytes` }]);
  }
  return 'append';
}

/** Whether finishing with `status` changes the message ('finish') or repeats its finish ('same'); throws otherwise. */
export function checkFinish(message: Message, status: 'complete' | 'incomplete'): 'finish' | 'same' {
  if (message.status === 'streaming') return 'finish';
  if (message.status === status) return 'same';
  throw new ConflictError(`Message ${message.id} is ${message.status.toUpperCase()}, not STREAMING: it cannot be finished as ${status.toUpperCase()}`);
}

/** The chunks of a finished message, cut out of its content by their lengths (which follow the content known at the start). */
export function chunksOfContent(content: string, lengths: readonly number[], afterIndex: number): { index: number; chunk: string }[] {
  let end = content.length;
  const chunks: { index: number; chunk: string }[] = [];
  for (let i = lengths.length - 1; i > afterIndex && i >= 0; i--) {
    const start = Math.max(0, end - lengths[i]!);
    chunks.push({ index: i, chunk: content.slice(start, end) });
    end = start;
  }
  return chunks.reverse();
}

/**
 * A streamed message's chunk lengths, as given, or when they are not known (a message copied from another store or
 * forked) its count kept with the whole content in the last one; undefined for a message written whole.
 */
export function chunkLengthsOf(message: Message, known?: readonly number[]): number[] | undefined {
  if (message.chunkCount === 0) return undefined;
  if (known && known.length === message.chunkCount) return [...known];
  return Array.from({ length: message.chunkCount }, (_, i) => (i === message.chunkCount - 1 ? message.content.length : 0));
}

/** A message as an import writes it: one still STREAMING has no writer any more and is stored INCOMPLETE. */
export function settledForImport(message: Message): Message {
  return message.status === 'streaming' ? { ...message, status: 'incomplete' } : message;
}

/** The later of two ISO 8601 UTC times (compared as strings, which orders them). */
export function laterTime(a: string, b: string): string {
  return a > b ? a : b;
}
