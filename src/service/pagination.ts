// Page arguments and their translation into sequence ranges and connection pages.
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { decodeMessageCursor, type MessagePosition } from './cursors.js';
import { parseInput } from './validate.js';

export const PAGE_MAX = 1000;
export const DEFAULT_PAGE = 100;

/** One page of a connection: items with their cursors, and where the page stands. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

const limitOffsetSchema = z.object({
  limit: z.number().int().min(1, { error: `must be between 1 and ${PAGE_MAX}` }).max(PAGE_MAX, { error: `must be between 1 and ${PAGE_MAX}` }),
  offset: z.number().int().min(0, { error: 'must be 0 or more' }),
});

export interface LimitOffset {
  limit: number;
  offset: number;
}

export interface LimitOffsetArgs {
  limit?: number | null | undefined;
  offset?: number | null | undefined;
}

/** Validated limit/offset (limit 1..1000, default 100; offset >= 0). */
export function parseLimitOffset(args: LimitOffsetArgs): LimitOffset {
  const limit = args.limit ?? DEFAULT_PAGE;
  const offset = args.offset ?? 0;
  // This runs for every session of a messages() read: the valid case is settled without zod, which only words errors.
  if (Number.isInteger(limit) && limit >= 1 && limit <= PAGE_MAX && Number.isInteger(offset) && offset >= 0) return { limit, offset };
  return parseInput(limitOffsetSchema, { limit, offset });
}

const countArg = z.number().int().min(0, { error: `must be between 0 and ${PAGE_MAX}` }).max(PAGE_MAX, { error: `must be between 0 and ${PAGE_MAX}` }).nullish();

const connectionArgsSchema = z.object({ first: countArg, last: countArg });

export interface ConnectionArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}

/** Inclusive positions (from 1) a Relay-style page selects in a list, as a function of the list's length. */
export type PageWindow = (count: number) => { from: number; to: number };

/**
 * The window of a Relay-style page; arguments are checked now (ValidationError), the window is cut once the length is
 * known. `positionOf` says which position of a cursor counts: its place on a branch, or its sequence number.
 */
export function connectionWindow(args: ConnectionArgs, positionOf: (cursor: MessagePosition) => number): PageWindow {
  const { first, last } = parseInput(connectionArgsSchema, { first: args.first, last: args.last });
  if (first != null && last != null) {
    throw new ValidationError([{ path: ['last'], message: 'cannot be combined with first' }]);
  }
  const after = args.after != null ? positionOf(decodeMessageCursor(args.after, 'after')) : 0;
  const before = args.before != null ? positionOf(decodeMessageCursor(args.before, 'before')) : null;
  return (count) => {
    let from = after + 1;
    const to = Math.min(before !== null ? before - 1 : count, count);
    if (last != null) return { from: Math.max(from, to - last + 1), to };
    from = Math.max(from, 1);
    return { from, to: Math.min(to, from + (first ?? DEFAULT_PAGE) - 1) };
  };
}

/** Inclusive sequence range a Relay-style page selects among `count` messages written. */
export function messageRange(args: ConnectionArgs, count: number): { fromSeq: number; toSeq: number } {
  const { from, to } = connectionWindow(args, (cursor) => cursor.seq)(count);
  return { fromSeq: from, toSeq: to };
}

/** The page for items already cut to size, given whether more lie on either side. */
export function toPage<T>(items: T[], cursorOf: (item: T, index: number) => string, hasPrevious: boolean, hasNext: boolean, totalCount: number): Page<T> {
  const edges = items.map((node, index) => ({ cursor: cursorOf(node, index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: hasNext,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * Where a page starts in a list ordered newest first by a time, ties by id descending: the index of the first item
 * after `position` (a time and an id), or the list's length when none is; 0 without a position.
 */
export function startAfter<T>(items: readonly T[], position: { updatedAt: string; id: string } | null, placeOf: (item: T) => { at: string; id: string }): number {
  if (position === null) return 0;
  const start = items.findIndex((item) => {
    const { at, id } = placeOf(item);
    return at < position.updatedAt || (at === position.updatedAt && id < position.id);
  });
  return start === -1 ? items.length : start;
}
