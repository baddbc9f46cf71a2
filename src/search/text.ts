// How text becomes searchable words, the same for every store and for the query: the service splits and
// normalizes, so that the file store's engine and PostgreSQL see the very same words (neither engine's own
// tokenizer decides what a word is).

/**
 * A word: a run of letters, digits and combining marks; in scripts written without spaces between words (Han, kana)
 * each character is a word of its own, and a query word of them a phrase (so a word is found inside a sentence).
 */
const WORD = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}\p{M}])+/gu;
const ASCII_WORD = /^[A-Za-z0-9]+$/;
const MARKS = /\p{M}/gu;
const NOT_WORD = /[^\p{L}\p{N}]/gu;
/** Longer words are cut here (hashes, base64): the same cut in documents and queries keeps them findable. */
export const MAX_WORD_CHARS = 64;

/** A word of a text: its normalized form and where it stands (UTF-16 offsets into the text). */
export interface TextWord {
  word: string;
  start: number;
  end: number;
}

/** Case, accents and width folded away: "Ｃafé" -> "cafe". Empty when nothing of a word is left. */
export function normalizeWord(raw: string): string {
  if (ASCII_WORD.test(raw)) {
    const lower = raw.toLowerCase();
    return lower.length > MAX_WORD_CHARS ? lower.slice(0, MAX_WORD_CHARS) : lower;
  }
  const folded = raw.normalize('NFKD').toLowerCase().replace(MARKS, '').replace(NOT_WORD, '');
  if (folded.length <= MAX_WORD_CHARS) return folded;
  return [...folded].slice(0, MAX_WORD_CHARS).join('');
}

/** Every word of a text, in order, with its place. */
export function wordsOf(text: string): TextWord[] {
  const words: TextWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    if (word !== '') words.push({ word, start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/** The normalized words of a text, without places (what the engines index). */
export function wordListOf(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    if (word !== '') words.push(word);
  }
  return words;
}
