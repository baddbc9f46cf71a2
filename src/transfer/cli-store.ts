// The store and service a transfer command works on: the one the server is configured with (DATA_DIR, or
// DATABASE_URL for PostgreSQL), opened as the server opens it (a file store's data dir is locked meanwhile).
import { pino } from 'pino';
import { loadConfig } from '../config.js';
import { ChatService } from '../service/chat-service.js';
import { openStore } from '../store/open-store.js';

export async function openConfiguredService(): Promise<{ service: ChatService; close: () => Promise<void> }> {
  const config = loadConfig();
  const logger = pino({ level: 'warn' });
  const { store, release } = await openStore(config, logger);
  const service = new ChatService({ store, maxMessageBytes: config.maxMessageBytes });
  return {
    service,
    close: async () => {
      await store.close();
      await release();
    },
  };
}
