// Opaque cursors: base64url of a tagged position. Message cursors name a sequence number and, on a branch, the
// message's place on it (left out where the two are equal, as on every conversation without branches), so they stay
// valid while a session grows; session cursors name a place in the most-recently-updated order.
import { ValidationError } from '../domain/errors.js';
import type { SessionOrder, SessionPlace } from '../store/store.js';

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

/** Where a message cursor points: a message's sequence number, and its place on the path it was listed on (from 1). */
export interface MessagePosition {
  seq: number;
  position: number;
}

export function messageCursor(seq: number, position: number = seq): string {
  return encode(position === seq ? `msg:${seq}` : `msg:${seq}:${position}`);
}

/** The position a message cursor names; ValidationError for anything else. */
export function decodeMessageCursor(cursor: unknown, what: string): MessagePosition {
  const match = decode(cursor, what, /^msg:([1-9][0-9]{0,14})(?::([1-9][0-9]{0,14}))?$/);
  const seq = Number(match[1]);
  return { seq, position: match[2] === undefined ? seq : Number(match[2]) };
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

/** Where a session stands in one of sessionsPage's orders (the order is part of it: a cursor is valid for its order only). */
export interface SessionPageCursor {
  order: SessionOrder;
  place: SessionPlace;
}

const ORDERS: readonly SessionOrder[] = ['updatedAt', 'createdAt', 'lastMessageAt', 'title'];

export function sessionPageCursor(order: SessionOrder, place: SessionPlace): string {
  return encode(`sp:${JSON.stringify([order, place.pinned ? 1 : 0, place.key, place.id])}`);
}

export function decodeSessionPageCursor(cursor: unknown, what: string): SessionPageCursor {
  const refuse = () => new ValidationError([{ path: [what], message: 'must be a cursor this server returned' }]);
  const text = typeof cursor === 'string' && cursor.length <= 1024 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith('sp:') || encode(text) !== cursor) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(3));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw refuse();
  const [order, pinned, key, id] = parsed as unknown[];
  if (!ORDERS.includes(order as SessionOrder) || (pinned !== 0 && pinned !== 1) || typeof key !== 'string' || key.length > 400 || typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(id)) throw refuse();
  if (order !== 'title' && key !== '' && Number.isNaN(Date.parse(key))) throw refuse();
  return { order: order as SessionOrder, place: { pinned: pinned === 1, key, id } };
}

/** Where a session stands in the trash, most recently deleted first: its deletedAt and id. */
export function trashCursor(position: SessionPosition): string {
  return encode(`trash:${position.updatedAt}|${position.id}`);
}

export function decodeTrashCursor(cursor: unknown, what: string): SessionPosition {
  const match = decode(cursor, what, /^trash:([0-9T:.Z+-]{1,40})\|([A-Za-z0-9][A-Za-z0-9_-]{0,127})$/);
  return { updatedAt: match[1]!, id: match[2]! };
}

/** A place in the ranking of one search (how many hits come before it) and the fingerprint of that search. */
export function searchCursor(offset: number, fingerprint: string): string {
  return encode(`hit:${offset}:${fingerprint}`);
}

/** The offset a search cursor names; ValidationError for anything else, or for a cursor of another search. */
export function decodeSearchCursor(cursor: unknown, what: string, fingerprint: string): number {
  const match = decode(cursor, what, /^hit:(0|[1-9][0-9]{0,8}):([A-Za-z0-9_-]{16})$/);
  if (match[2] !== fingerprint) throw new ValidationError([{ path: [what], message: 'is a cursor of another search' }]);
  return Number(match[1]);
}
