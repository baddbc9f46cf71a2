// The snippet of a hit: plain text around its first match (at most ~200 characters) and where the matched words
// are in it. Computed by the service from the stored text, so it is the same on every store.
import type { SearchExpression, SearchTerm } from './query.js';
import { type TextWord, wordsOf } from './text.js';

export const SNIPPET_CHARS = 200;
/** Text kept before the first match, so that it reads in context. */
const LEAD_CHARS = 60;
const ELLIPSIS = '…';

/** A matched stretch of a text, as UTF-16 offsets: text.slice(start, end). */
export interface TextRange {
  start: number;
  end: number;
}

export interface Snippet {
  snippet: string;
  highlights: TextRange[];
}

function termAt(words: readonly TextWord[], i: number, term: SearchTerm): boolean {
  const last = term.words.length - 1;
  for (let k = 0; k <= last; k++) {
    const word = words[i + k];
    if (!word) return false;
    const wanted = term.words[k]!;
    if (k === last && term.prefix ? !word.word.startsWith(wanted) : word.word !== wanted) return false;
  }
  return true;
}

/** Where each included term occurs in a text's words, as ranges of the text, in order, overlaps merged. */
export function matchRanges(words: readonly TextWord[], expression: SearchExpression): TextRange[] {
  const ranges: TextRange[] = [];
  for (let i = 0; i < words.length; i++) {
    let end = -1;
    for (const term of expression.include) {
      if (termAt(words, i, term)) end = Math.max(end, words[i + term.words.length - 1]!.end);
    }
    if (end === -1) continue;
    const start = words[i]!.start;
    const previous = ranges.at(-1);
    if (previous && start <= previous.end) previous.end = Math.max(previous.end, end);
    else ranges.push({ start, end });
  }
  return ranges;
}

/** Whether the text holds every included term and no excluded one (what the engines decide, decided again in words). */
export function textMatches(text: string, expression: SearchExpression): boolean {
  const words = wordsOf(text);
  const holds = (term: SearchTerm) => words.some((_, i) => termAt(words, i, term));
  return expression.include.every(holds) && !expression.exclude.some(holds);
}

/** The snippet of `text` for a query: a window from a little before the first match, cut at word boundaries. */
export function snippetOf(text: string, expression: SearchExpression): Snippet {
  const words = wordsOf(text);
  const ranges = matchRanges(words, expression);
  if (text.length <= SNIPPET_CHARS) return { snippet: text, highlights: ranges };
  const first = ranges[0]?.start ?? 0;
  // Start at the beginning of a word at most LEAD_CHARS before the first match; end at the end of the last word
  // that fits in SNIPPET_CHARS.
  let start = 0;
  if (first > LEAD_CHARS) start = words.find((word) => word.start >= first - LEAD_CHARS)?.start ?? first;
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length) {
    const cut = words.findLast((word) => word.end <= end && word.start >= start);
    if (cut && cut.end > start) end = cut.end;
  }
  const before = start > 0 ? ELLIPSIS : '';
  const after = end < text.length ? ELLIPSIS : '';
  const snippet = `${before}${text.slice(start, end).trim()}${after}`;
  const trimmed = text.slice(start, end).length - text.slice(start, end).trimStart().length;
  const shift = before.length - start - trimmed;
  const bodyEnd = snippet.length - after.length;
  const highlights = ranges
    .filter((range) => range.start >= start + trimmed && range.start < end)
    .map((range) => ({ start: range.start + shift, end: Math.min(range.end + shift, bodyEnd) }))
    .filter((range) => range.end > range.start);
  return { snippet, highlights };
}
