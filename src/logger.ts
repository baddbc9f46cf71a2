// The process logger: pino JSON lines on stdout, each stamped with the id of the request it was written for.
import { pino, type Logger } from 'pino';
import { currentRequestId } from './request-context.js';

export type { Logger };

/** A JSON logger at `level` (`silent` for none). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'chat-session-service' },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
  });
}
