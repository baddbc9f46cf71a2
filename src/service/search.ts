// Project.search: parses the query, asks the store for a page of matches, and turns each into a hit with its
// session, its message and a snippet with highlights computed from the stored text (the same on every store).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { idSchema } from '../domain/ids.js';
import type { Message } from '../domain/message.js';
import { ROLES } from '../domain/roles.js';
import type { Session, SessionKey } from '../domain/session.js';
import { parseSearchQuery } from '../search/query.js';
import { snippetOf, type TextRange } from '../search/snippet.js';
import type { ChatStore, SearchScope } from '../store/store.js';
import { decodeSearchCursor, searchCursor } from './cursors.js';
import type { Page } from './pagination.js';
import { parseInput } from './validate.js';

export const SEARCH_PAGE_MAX = 100;
/** Hits beyond this place are not served (a search box pages a few times, not through everything). */
const MAX_OFFSET = 10_000;

export interface SearchHit {
  session: Session;
  /** Null when the session's title matched. */
  message: Message | null;
  snippet: string;
  highlights: TextRange[];
  score: number;
}

const searchArgsSchema = z.object({
  query: z.string(),
  first: z.number().int().min(1, { error: `must be between 1 and ${SEARCH_PAGE_MAX}` }).max(SEARCH_PAGE_MAX, { error: `must be between 1 and ${SEARCH_PAGE_MAX}` }),
  filter: z
    .object({
      roles: z.array(z.enum(ROLES)).max(ROLES.length).nullish(),
      sessionIds: z.array(idSchema).max(100, { error: 'may name at most 100 sessions' }).nullish(),
      since: z.iso.datetime({ offset: true }).nullish(),
      until: z.iso.datetime({ offset: true }).nullish(),
      includeInactive: z.boolean().nullish(),
    })
    .nullish(),
});

function isoOf(value: string | null | undefined): string | null {
  return value == null ? null : new Date(value).toISOString();
}

/** A page of hits for a project's search; `readable` is false for a project the caller may not read (no hits). */
export async function searchProject(store: ChatStore, projectId: string, readable: boolean, args: { query: unknown; filter?: unknown; first?: unknown; after?: unknown }): Promise<Page<SearchHit>> {
  const input = parseInput(searchArgsSchema, { query: args.query, filter: args.filter, first: args.first ?? 20 }, []);
  const expression = parseSearchQuery(input.query);
  const filter = input.filter ?? {};
  const scope: SearchScope = {
    roles: filter.roles && filter.roles.length > 0 ? [...new Set(filter.roles)] : null,
    sessionIds: filter.sessionIds ? [...new Set(filter.sessionIds)] : null,
    since: isoOf(filter.since),
    until: isoOf(filter.until),
    includeInactive: filter.includeInactive ?? false,
  };
  // A cursor is an offset into the ranking of one query: it names the query and filter it was made for.
  const fingerprint = createHash('sha256').update(JSON.stringify([expression, scope])).digest('base64url').slice(0, 16);
  const offset = args.after != null ? decodeSearchCursor(args.after, 'after', fingerprint) : 0;
  if (offset > MAX_OFFSET) throw new ValidationError([{ path: ['after'], message: `pages past the first ${MAX_OFFSET} hits are not served; narrow the search` }]);
  if (!readable || (scope.sessionIds?.length === 0)) return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: offset > 0, startCursor: null, endCursor: null }, totalCount: 0 };
  const page = await store.search({ projectId, expression, scope, offset, limit: input.first });
  const keys = [...new Set(page.matches.map((m) => m.sessionId))].map((sessionId): SessionKey => ({ projectId, sessionId }));
  const sessions = new Map((await store.getSessions(keys)).filter((s): s is Session => s !== null).map((s) => [s.id, s]));
  const wanted = page.matches.filter((m) => m.sequence !== null);
  const read = await store.readMessages(wanted.map((m) => ({ projectId, sessionId: m.sessionId, fromSeq: m.sequence!, toSeq: m.sequence! })));
  const messages = new Map(wanted.map((m, i) => [`${m.sessionId}\u0000${m.sequence}`, read[i]?.[0] ?? null]));
  const edges: Page<SearchHit>['edges'] = [];
  page.matches.forEach((match, i) => {
    const session = sessions.get(match.sessionId);
    // A session deleted (or a message gone with it) between the search and these reads is left out.
    if (!session) return;
    const message = match.sequence === null ? null : messages.get(`${match.sessionId}\u0000${match.sequence}`);
    if (message === undefined) return;
    const { snippet, highlights } = snippetOf(message ? message.content : session.title, expression);
    edges.push({ cursor: searchCursor(offset + i + 1, fingerprint), node: { session, message, snippet, highlights, score: match.score } });
  });
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: edges.length,
  };
}
