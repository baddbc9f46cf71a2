// The search query language (see the contract): words, "phrases", -exclusions, the last word also a prefix.
// Parsed once in the service into a small tree of normalized words; each store compiles the tree to its engine
// (FTS5, tsquery) quoting every word, so no user text ever reaches an engine's own syntax.
import { ValidationError } from '../domain/errors.js';
import { wordListOf } from './text.js';

/** Words that must stand next to each other in this order (one word: a phrase of one); the last one a prefix if `prefix`. */
export interface SearchTerm {
  words: string[];
  prefix: boolean;
}

/** What a document must hold (every `include` term) and must not (any `exclude` term). */
export interface SearchExpression {
  include: SearchTerm[];
  exclude: SearchTerm[];
}

/** A query longer than this is refused rather than searched (a search box never needs it). */
export const MAX_QUERY_CHARS = 1000;
/** Terms in one query, included and excluded together. */
export const MAX_QUERY_TERMS = 32;

interface RawTerm {
  text: string;
  negated: boolean;
  quoted: boolean;
}

/** Splits a query into terms: bare words end at white space or a quote; a quote runs to the next one (or the end). */
function scan(query: string): RawTerm[] {
  const terms: RawTerm[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i]!;
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    let negated = false;
    if (char === '-' && i + 1 < query.length && !/\s/.test(query[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      const end = close === -1 ? query.length : close;
      terms.push({ text: query.slice(i + 1, end), negated, quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && query[end] !== '"' && !/\s/.test(query[end]!)) end += 1;
    terms.push({ text: query.slice(i, end), negated, quoted: false });
    i = end;
  }
  return terms;
}

/** Parses a query; ValidationError when it is too long or holds no word to look for. */
export function parseSearchQuery(query: string): SearchExpression {
  if (query.length > MAX_QUERY_CHARS) {
    throw new ValidationError([{ path: ['query'], message: `must be at most ${MAX_QUERY_CHARS} characters` }]);
  }
  const raw = scan(query);
  const terms = raw
    .map((term) => ({ ...term, words: wordListOf(term.text) }))
    .filter((term) => term.words.length > 0);
  const last = terms.at(-1);
  const include: SearchTerm[] = [];
  const exclude: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const term of terms) {
    const prefix = term === last && !term.negated && !term.quoted;
    const key = `${term.negated ? '-' : '+'}${prefix ? '*' : ''}${term.words.join(' ')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (term.negated ? exclude : include).push({ words: term.words, prefix });
  }
  if (terms.length === 0) throw new ValidationError([{ path: ['query'], message: 'holds no word to search for' }]);
  if (include.length === 0) {
    throw new ValidationError([{ path: ['query'], message: 'needs a word to search for besides the exclusions' }]);
  }
  if (include.length + exclude.length > MAX_QUERY_TERMS) {
    throw new ValidationError([{ path: ['query'], message: `may hold at most ${MAX_QUERY_TERMS} terms` }]);
  }
  return { include, exclude };
}
