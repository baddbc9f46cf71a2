// Token counts of message contents in the encodings of OpenAI models, with gpt-tokenizer: a maintained, pure
// JavaScript tokenizer that ships its encodings in the package (nothing is downloaded at run time). Each encoding is
// loaded on first use. Counts of messages that can no longer change (written whole or finished) are cached by message
// and encoding, so a finished message is tokenized once, not per read.
import type { Message } from '../domain/message.js';

export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

type Counter = (text: string) => number;

/** Special-token text in a message (e.g. "<|endoftext|>") is counted as the text it is, never refused. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

const loaders: Record<TokenEncoding, () => Promise<Counter>> = {
  o200k_base: async () => {
    const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
    return (text) => countTokens(text, AS_TEXT);
  },
  cl100k_base: async () => {
    const { countTokens } = await import('gpt-tokenizer/encoding/cl100k_base');
    return (text) => countTokens(text, AS_TEXT);
  },
};

/** Most cached counts kept; the least recently used go first. */
const CACHE_ENTRIES = 100_000;

export class TokenCounter {
  private readonly counters = new Map<TokenEncoding, Promise<Counter>>();
  private readonly cache = new Map<string, number>();

  private counter(encoding: TokenEncoding): Promise<Counter> {
    let counter = this.counters.get(encoding);
    if (!counter) {
      counter = loaders[encoding]();
      this.counters.set(encoding, counter);
    }
    return counter;
  }

  /** The length of a message's content in tokens of `encoding`. */
  async count(message: Message, encoding: TokenEncoding): Promise<number> {
    if (message.status === 'streaming') return (await this.counter(encoding))(message.content);
    const key = `${encoding}/${message.projectId}/${message.sessionId}/${message.id}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const count = (await this.counter(encoding))(message.content);
    this.cache.set(key, count);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return count;
  }
}
