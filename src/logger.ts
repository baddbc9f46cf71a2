// The process logger: pino JSON lines on stdout. Lines about a request carry its `requestId`, passed explicitly.
import { pino, type Logger } from 'pino';

export type { Logger };

/** A JSON logger at `level` (`silent` for none). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'chat-session-service' },
  });
}
