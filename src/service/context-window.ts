// Session.context: the messages of a branch that fit a model's token budget. The SYSTEM messages that open the branch
// come first and always; then the newest messages, read page by page from the end backwards until the next one would
// not fit. Only what is kept (plus one page at most) is read, whatever the branch's length.
import { ValidationError } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { BranchPage } from '../store/store.js';

const PAGE = 64;

export interface ContextWindow {
  /** Oldest first. */
  messages: Message[];
  tokenCount: number;
  /** True when older messages of the branch were left out to fit. */
  truncated: boolean;
}

export interface ContextSource {
  /** Positions `from`..`to` of the branch (clamped), with its length. */
  read(from: number, to: number): Promise<BranchPage>;
  count(message: Message): Promise<number>;
  maxTokens: number;
}

export async function contextWindow({ read, count, maxTokens }: ContextSource): Promise<ContextWindow> {
  // The leading SYSTEM messages: a conversation has few, so the first read is small and each next one twice as large.
  const system: Message[] = [];
  let length = 0;
  let position = 0;
  for (let size = 4, done = false; !done; size = Math.min(PAGE, size * 2)) {
    const page = await read(position + 1, position + size);
    length = page.length;
    for (const message of page.messages) {
      if (message.role !== 'system') {
        done = true;
        break;
      }
      system.push(message);
    }
    position += page.messages.length;
    if (page.messages.length < size || position >= length) done = true;
  }
  let used = 0;
  for (const message of system) used += await count(message);
  if (used > maxTokens) {
    throw new ValidationError([{ path: ['maxTokens'], message: `the SYSTEM messages that open the branch alone take ${used} tokens, more than ${maxTokens}` }]);
  }
  // The newest messages after them that fit, newest first while reading.
  const kept: Message[] = [];
  let truncated = false;
  let end = length;
  while (end > system.length && !truncated) {
    const from = Math.max(system.length + 1, end - PAGE + 1);
    const page = await read(from, end);
    for (let i = page.messages.length - 1; i >= 0; i--) {
      const message = page.messages[i]!;
      const tokens = await count(message);
      if (used + tokens > maxTokens) {
        truncated = true;
        break;
      }
      used += tokens;
      kept.push(message);
    }
    end = from - 1;
  }
  return { messages: [...system, ...kept.reverse()], tokenCount: used, truncated };
}
