// The sweep that ends idle streams: a STREAMING message whose writer crashed or went away must not show a spinner
// forever. It runs once at start and then every quarter of the idle timeout (at most every 15 s). On PostgreSQL every
// replica may run it: each message is ended under its row lock, once.
import type { Logger } from 'pino';
import type { ChatService } from './chat-service.js';

export function startStreamSweep(service: ChatService, logger: Logger, idleTimeoutMs: number): { stop: () => void } {
  const every = Math.max(50, Math.min(15_000, Math.floor(idleTimeoutMs / 4)));
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const ended = await service.sweepIdleStreams();
      if (ended > 0) logger.info({ ended, idleTimeoutMs }, 'ended idle streams as INCOMPLETE');
    } catch (error) {
      // A database or disk fault: the next sweep tries again.
      logger.warn({ err: error }, 'sweeping idle streams failed');
    } finally {
      running = false;
    }
  };
  void run();
  timer = setInterval(() => void run(), every);
  timer.unref();
  return {
    stop: () => {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** Applies every project's retention policy now and then every `intervalMs`, logging what each sweep moved and erased. */
export function startRetentionSweep(service: ChatService, logger: Logger, intervalMs: number): { stop: () => void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      for (const done of await service.sweepAllRetention(Date.now())) logger.info(done, 'retention sweep: sessions moved to the trash and erased');
    } catch (error) {
      logger.warn({ err: error }, 'the retention sweep failed; the next one tries again');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
