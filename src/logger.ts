// The process logger: pino JSON lines on stdout.
import { pino, type Logger } from 'pino';

export type { Logger };

/** A JSON logger at `level`; `silent` for tests that assert nothing about logs. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'chat-session-service' } });
}
