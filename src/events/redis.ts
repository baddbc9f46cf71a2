// Live events between replicas over Redis pub/sub: the event target the EventBus publishes to and listens on.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';

export function redisEventTarget(url: string) {
  const publishClient = new Redis(url, { maxRetriesPerRequest: null });
  const subscribeClient = new Redis(url, { maxRetriesPerRequest: null });
  return {
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
    /** True while both connections are up (for /readyz). */
    isReady: () => publishClient.status === 'ready' && subscribeClient.status === 'ready',
    close: async () => {
      await Promise.all([publishClient.quit().catch(() => undefined), subscribeClient.quit().catch(() => undefined)]);
    },
  };
}
