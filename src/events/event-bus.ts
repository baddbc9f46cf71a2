// The one event bus: the service publishes what happened to sessions after it is durable; subscribers read it per
// project. In-process by default; built on Yoga's createPubSub so that another event target (Redis) can carry it
// between replicas without changing either side.
import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { Message, MessageChunk } from '../domain/message.js';
import type { Session } from '../domain/session.js';
import { BoundedFeed, EventsInterruptedError } from './bounded-feed.js';

export type SessionEventKind = 'CREATED' | 'UPDATED' | 'DELETED' | 'MESSAGE_ADDED' | 'MESSAGE_UPDATED';

/**
 * A change to one session: the session after it (null once deleted), the message for MESSAGE_ADDED and
 * MESSAGE_UPDATED, and for MESSAGE_UPDATED the chunk that arrived (null when the message was finished).
 */
export interface SessionEvent {
  kind: SessionEventKind;
  projectId: string;
  sessionId: string;
  session: Session | null;
  message: Message | null;
  chunk?: MessageChunk | null;
}

export interface EventBusOptions {
  /** Events one subscriber may have waiting before it is cut off as too slow (it can resume with `after`). */
  maxBuffered?: number;
  /** Carries events between processes; in-process when absent. */
  eventTarget?: Parameters<typeof createPubSub>[0] extends infer O ? (O extends { eventTarget?: infer T } ? T : never) : never;
  /** The state of that carrier's connection; with none, events cannot be lost (in-process). */
  link?: EventLink;
}

/** A carrier of events between replicas that can lose its connection (Redis). */
export interface EventLink {
  /** True while events flow both ways. */
  isUp(): boolean;
  /** Calls `listener` whenever events may have been lost: this replica's connection dropped, or another replica's did. */
  onInterrupted(listener: () => void): void;
}

type Topics = Record<string, [SessionEvent]>;

export class EventBus {
  private readonly pubsub: ReturnType<typeof createPubSub<Topics>>;
  private readonly maxBuffered: number;
  private readonly feeds = new Set<BoundedFeed<SessionEvent>>();

  constructor(options: EventBusOptions = {}) {
    // One listener per subscriber on the project's topic: thousands are expected, so no listener-count warning.
    const eventTarget = options.eventTarget ?? new EventTarget();
    if (eventTarget instanceof EventTarget) setMaxListeners(0, eventTarget);
    this.pubsub = createPubSub<Topics>({ eventTarget });
    this.maxBuffered = options.maxBuffered ?? 1000;
    this.link = options.link ?? null;
    // A subscriber that may have missed an event must not go on as if it had not: it is ended with
    // EventsInterruptedError, resubscribes and reloads. (messageAdded could fill gaps by sequence, but only when a
    // later message arrives; ending is the one answer that is right for every subscription.)
    this.link?.onInterrupted(() => this.interrupt());
  }

  private readonly link: EventLink | null;

  /** Ends every open subscription with EventsInterruptedError. */
  interrupt(): void {
    for (const feed of this.feeds) feed.fail(new EventsInterruptedError());
  }

  /**
   * Announces a change; call it only once the change is durable. A message's updates also go to that message's own
   * topic, so that a reader of one stream is not woken for every chunk of every stream of the project.
   */
  publish(event: SessionEvent): void {
    this.pubsub.publish(`project:${event.projectId}`, event);
    if (event.kind === 'MESSAGE_UPDATED' && event.message) this.pubsub.publish(messageTopic(event.projectId, event.sessionId, event.message.id), event);
    // A deleted session's streams end too.
    if (event.kind === 'DELETED') this.pubsub.publish(`session:${event.projectId}/${event.sessionId}`, event);
  }

  /** Every event of one project from now on, buffered up to the limit; end it with `close()`. */
  subscribe(projectId: string): BoundedFeed<SessionEvent> {
    return this.feed(`project:${projectId}`);
  }

  /** The updates of one message (MESSAGE_UPDATED), and its session's deletion, from now on. */
  subscribeMessage(projectId: string, sessionId: string, messageId: string): BoundedFeed<SessionEvent> {
    return this.feed(messageTopic(projectId, sessionId, messageId), `session:${projectId}/${sessionId}`);
  }

  private feed(...topics: string[]): BoundedFeed<SessionEvent> {
    // While the carrier is down a new subscription would silently miss what other replicas publish.
    if (this.link && !this.link.isUp()) throw new EventsInterruptedError('Live events are unavailable right now (the event bus is reconnecting); subscribe again shortly');
    const sources = topics.map((topic) => this.pubsub.subscribe(topic));
    const feed = new BoundedFeed<SessionEvent>(this.maxBuffered, () => {
      this.feeds.delete(feed);
      for (const source of sources) void source.return?.();
    });
    this.feeds.add(feed);
    for (const source of sources) {
      void (async () => {
        for await (const event of source) feed.push(event);
      })();
    }
    return feed;
  }

  /** Subscriptions open right now. */
  get size(): number {
    return this.feeds.size;
  }

  /** Ends every subscription (server shutdown): each one completes normally. */
  close(): void {
    for (const feed of this.feeds) feed.end();
  }
}

function messageTopic(projectId: string, sessionId: string, messageId: string): string {
  return `message:${projectId}/${sessionId}/${messageId}`;
}
