// Opaque cursors: base64url of a tagged position. Message cursors name a sequence number, so they stay
// valid while a session grows; session cursors name a place in the most-recently-updated order.
import { ValidationError } from '../domain/errors.js';

function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decode(cursor: unknown, what: string, pattern: RegExp): RegExpExecArray {
  const text = typeof cursor === 'string' && cursor.length <= 512 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = pattern.exec(text);
  // Re-encoding must give the cursor back: anything else was not made by this server.
  if (!match || encode(text) !== cursor) throw new ValidationError([{ path: [what], message: 'must be a cursor this server returned' }]);
  return match;
}

export function messageCursor(seq: number): string {
  return encode(`msg:${seq}`);
}

/** The sequence number a message cursor names; ValidationError for anything else. */
export function decodeMessageCursor(cursor: unknown, what: string): number {
  return Number(decode(cursor, what, /^msg:([1-9][0-9]{0,14})$/)[1]);
}

/** Where a session stands in the newest-updated-first order. */
export interface SessionPosition {
  updatedAt: string;
  id: string;
}

export function sessionCursor(position: SessionPosition): string {
  return encode(`ses:${position.updatedAt}|${position.id}`);
}

export function decodeSessionCursor(cursor: unknown, what: string): SessionPosition {
  const match = decode(cursor, what, /^ses:([0-9T:.Z+-]{1,40})\|([A-Za-z0-9][A-Za-z0-9_-]{0,127})$/);
  return { updatedAt: match[1]!, id: match[2]! };
}
