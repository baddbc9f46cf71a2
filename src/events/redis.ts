// Live events between replicas over Redis pub/sub: the event target the EventBus publishes to and listens on, and
// the state of its connections. When a connection drops, events in flight may be lost; every replica learns it
// (locally from its own connection, remotely from a notice the cut replica publishes once it is back) and ends its
// subscriptions with EVENTS_INTERRUPTED rather than let them go on with a hole.
import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventLink } from './event-bus.js';

/** Published by a replica whose publishing connection came back after it could not publish: others may have missed events. */
const INTERRUPTED_CHANNEL = 'chat-service:events-interrupted';

export function redisEventTarget(url: string, logger: Logger) {
  // Publishing fails at once while disconnected (no offline queue growing through an outage); the subscribing
  // connection queues its SUBSCRIBE commands and resubscribes by itself after a reconnect.
  const publishClient = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  const subscribeClient = new Redis(url, { maxRetriesPerRequest: null });
  const listeners: (() => void)[] = [];
  /** Names this replica's notices, so that it does not end the subscriptions it took after coming back. */
  const replica = randomUUID();
  let connected = false;
  let missedPublish = false;
  let closing = false;

  const isUp = () => publishClient.status === 'ready' && subscribeClient.status === 'ready';
  const interrupted = (reason: string) => {
    if (connected) logger.error({ reason }, 'the event bus (Redis) lost its connection; open subscriptions are ended with EVENTS_INTERRUPTED');
    connected = false;
    for (const listener of listeners) listener();
  };
  const announceIfMissed = () => {
    if (!missedPublish || publishClient.status !== 'ready') return;
    missedPublish = false;
    publishClient.publish(INTERRUPTED_CHANNEL, replica).catch(() => {
      missedPublish = true;
    });
  };
  for (const [name, client] of [['publish', publishClient], ['subscribe', subscribeClient]] as const) {
    // ioredis reports every failed reconnect attempt as an 'error' event; the outage itself is logged once, above.
    client.on('error', (error: Error) => logger.debug({ err: error, connection: name }, 'redis connection error'));
    client.on('close', () => {
      if (name === 'publish') missedPublish = true;
      if (connected && !closing) interrupted(`the ${name} connection closed`);
    });
    client.on('ready', () => {
      if (isUp() && !connected) {
        connected = true;
        logger.info('the event bus (Redis) is connected');
      }
      announceIfMissed();
    });
  }
  void subscribeClient.subscribe(INTERRUPTED_CHANNEL).catch(() => undefined);
  subscribeClient.on('message', (channel: string, message: string) => {
    if (channel === INTERRUPTED_CHANNEL && message !== replica) {
      for (const listener of listeners) listener();
    }
  });

  // The yoga event target publishes without handling the result: a publish that fails (disconnected) is caught here,
  // and marks that subscribers elsewhere may have missed an event.
  const publisher = {
    publish: (channel: string, message: string) =>
      publishClient.publish(channel, message).catch(() => {
        missedPublish = true;
        interrupted('a publish failed');
        return 0;
      }),
  } as unknown as Redis;
  const link: EventLink = { isUp, onInterrupted: (listener) => listeners.push(listener) };
  return {
    eventTarget: createRedisEventTarget({ publishClient: publisher, subscribeClient }),
    link,
    /** Drops both connections at once: nothing is left to flush (events are not kept), and a QUIT to a Redis that
     * is away would wait for a reconnect that may never come. */
    close: async () => {
      closing = true;
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
