// The order and filters of sessionsPage, for a store that sorts in memory (the file store); PostgreSQL compiles the
// same rules to SQL (postgres/session-query.ts). Both sort keys as strings compared by code point.
import { type Session, tagKey } from '../domain/session.js';
import type { SessionFilter, SessionOrder, SessionPlace, TagCount } from './store.js';

/** A session's sort key in an order. */
export function sortKey(session: Session, order: SessionOrder): string {
  switch (order) {
    case 'updatedAt':
      return session.updatedAt;
    case 'createdAt':
      return session.createdAt;
    case 'lastMessageAt':
      return session.lastMessageAt ?? '';
    case 'title':
      return session.title.toLowerCase();
  }
}

export function placeOf(session: Session, order: SessionOrder): SessionPlace {
  return { pinned: session.pinned, key: sortKey(session, order), id: session.id };
}

/** Code point order (what PostgreSQL's "C" collation gives for UTF-8 text). */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Negative when `a` comes first: pinned first (if asked), then newest first by time, or by title A to Z; ties by id. */
export function comparePlaces(a: SessionPlace, b: SessionPlace, order: SessionOrder, pinnedFirst: boolean): number {
  if (pinnedFirst && a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const direction = order === 'title' ? 1 : -1;
  return direction * (compareText(a.key, b.key) || compareText(a.id, b.id));
}

export function sessionMatches(session: Session, filter: SessionFilter): boolean {
  if (filter.onlyInactive ? session.isActive : !filter.includeInactive && !session.isActive) return false;
  if (filter.pinned !== null && session.pinned !== filter.pinned) return false;
  if (filter.mine && session.createdBy !== filter.mine.createdBy) return false;
  if (filter.titleContains !== null && !session.title.toLowerCase().includes(filter.titleContains)) return false;
  if (filter.tags.length > 0) {
    const keys = tagKeysOf(session);
    if (!filter.tags.every((tag) => keys.includes(tag))) return false;
  }
  return true;
}

/** Sessions are replaced, never changed, so their tag keys are worked out once per session object. */
const tagKeys = new WeakMap<Session, string[]>();

function tagKeysOf(session: Session): string[] {
  let keys = tagKeys.get(session);
  if (!keys) {
    keys = session.tags.map(tagKey);
    tagKeys.set(session, keys);
  }
  return keys;
}

/** Tag counts over sessions: most used first, ties by key; each tag spelled as on the most recently updated session carrying it. */
export function countTags(sessions: Iterable<Session>): TagCount[] {
  const counts = new Map<string, { tag: string; count: number; updatedAt: string; id: string }>();
  for (const session of sessions) {
    for (const tag of session.tags) {
      const key = tagKey(tag);
      const known = counts.get(key);
      if (!known) counts.set(key, { tag, count: 1, updatedAt: session.updatedAt, id: session.id });
      else {
        known.count += 1;
        if (session.updatedAt > known.updatedAt || (session.updatedAt === known.updatedAt && session.id > known.id)) Object.assign(known, { tag, updatedAt: session.updatedAt, id: session.id });
      }
    }
  }
  return [...counts.entries()].sort(([ka, a], [kb, b]) => b.count - a.count || compareText(ka, kb)).map(([, { tag, count }]) => ({ tag, count }));
}
