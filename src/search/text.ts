// How text becomes searchable words, the same for every store and for the query: the service splits and
// normalizes, so that the file store's engine and PostgreSQL see the very same words (neither engine's own
// tokenizer decides what a word is).

/** A run of letters, digits and combining marks. */
const RUN = /[\p{L}\p{N}\p{M}]+/gu;
/**
 * Scripts written without spaces between words (Han, kana): in a run, each of their characters is a word of its own,
 * and a query word of them a phrase (so a word is found inside a sentence).
 */
const IDEOGRAPH = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const IDEOGRAPH_SPLIT = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+/gu;
const ASCII_WORD = /^[A-Za-z0-9]+$/;
const MARKS = /\p{M}/gu;
const NOT_WORD = /[^\p{L}\p{N}]/gu;
/** Longer words are cut here (hashes, base64): the same cut in documents and queries keeps them findable. */
export const MAX_WORD_CHARS = 64;
/** Normalized forms remembered (words repeat: most of a text is a few thousand words); forgotten all at once when full. */
const REMEMBERED = 50_000;
const normalized = new Map<string, string>();

/** A word of a text: its normalized form and where it stands (UTF-16 offsets into the text). */
export interface TextWord {
  word: string;
  start: number;
  end: number;
}

function fold(raw: string): string {
  if (ASCII_WORD.test(raw)) {
    const lower = raw.toLowerCase();
    return lower.length > MAX_WORD_CHARS ? lower.slice(0, MAX_WORD_CHARS) : lower;
  }
  const folded = raw.normalize('NFKD').toLowerCase().replace(MARKS, '').replace(NOT_WORD, '');
  if (folded.length <= MAX_WORD_CHARS) return folded;
  return [...folded].slice(0, MAX_WORD_CHARS).join('');
}

/** Case, accents and width folded away: "Ｃafé" -> "cafe". Empty when nothing of a word is left. */
export function normalizeWord(raw: string): string {
  let word = normalized.get(raw);
  if (word === undefined) {
    word = fold(raw);
    if (normalized.size >= REMEMBERED) normalized.clear();
    normalized.set(raw, word);
  }
  return word;
}

/** Calls `each` with every word of a text, in order: its raw form and where it starts. */
function forEachWord(text: string, each: (raw: string, start: number) => void): void {
  const ideographs = IDEOGRAPH.test(text);
  RUN.lastIndex = 0;
  for (let run = RUN.exec(text); run !== null; run = RUN.exec(text)) {
    if (!ideographs || !IDEOGRAPH.test(run[0])) {
      each(run[0], run.index);
      continue;
    }
    for (const part of run[0].matchAll(IDEOGRAPH_SPLIT)) each(part[0], run.index + part.index);
  }
}

/** Every word of a text, in order, with its place. */
export function wordsOf(text: string): TextWord[] {
  const words: TextWord[] = [];
  forEachWord(text, (raw, start) => {
    const word = normalizeWord(raw);
    if (word !== '') words.push({ word, start, end: start + raw.length });
  });
  return words;
}

/** The normalized words of a text, without places (what the engines index). */
export function wordListOf(text: string): string[] {
  const words: string[] = [];
  forEachWord(text, (raw) => {
    const word = normalizeWord(raw);
    if (word !== '') words.push(word);
  });
  return words;
}
