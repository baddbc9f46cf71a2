// The DataLoaders of one GraphQL operation: every session, message page or project total that its fields ask for
// in one tick is read in one store call. They hang off the request's context object and nothing else, so that they
// and all they loaded die with the request. (Loaders kept in WeakMaps keyed by the context, as Pothos' dataloader
// plugin keeps them, outlive it: a scavenge keeps a WeakMap value alive even when its key is dead, and a 20 x 20
// read's sessions and messages were promoted to the old generation on every request.)
import DataLoader from 'dataloader';
import type { Message } from '../domain/message.js';
import type { Session } from '../domain/session.js';
import type { ProjectStats } from '../domain/stats.js';
import type { ChatService } from '../service/chat-service.js';
import type { BranchPageRequest } from '../service/chat-service.js';
import type { ConnectionArgs, LimitOffsetArgs, Page } from '../service/pagination.js';
import type { SessionKey } from '../domain/session.js';
import type { MessageLinks } from '../store/store.js';

/** `messages(limit, offset)` of one session. */
export type MessagesKey = { session: Session } & LimitOffsetArgs;
/** `messagesConnection` (leafId null) or `branch(leafId, ...)` of one session. */
export type MessagePageKey = BranchPageRequest;
/** `allMessagesConnection(first, after, last, before)` of one session. */
export type AllMessagesKey = { session: Session } & ConnectionArgs;

/** The cache key of a session: `projectId/sessionId` ('/' never appears in an id). */
function sessionKey(projectId: string, sessionId: string): string {
  return `${projectId}/${sessionId}`;
}

export class RequestLoaders {
  #sessions?: DataLoader<SessionKey, Session | null, string>;
  #messages?: DataLoader<MessagesKey, Message[], string>;
  #messagePages?: DataLoader<MessagePageKey, Page<Message>, string>;
  #allMessagePages?: DataLoader<AllMessagesKey, Page<Message>, string>;
  #links?: DataLoader<Message, MessageLinks, string>;
  #newestLeaves?: DataLoader<Message, string, string>;
  #stats?: DataLoader<string, ProjectStats>;

  constructor(private readonly service: ChatService) {}

  /** Sessions by project and id; null for one its project does not have. */
  get sessions(): DataLoader<SessionKey, Session | null, string> {
    this.#sessions ??= new DataLoader((keys) => this.service.getSessions(keys), { cacheKeyFn: (key) => sessionKey(key.projectId, key.sessionId) });
    return this.#sessions;
  }

  /** Keys carry their own arguments, so that every selection of `messages` in an operation shares one store call. */
  get messages(): DataLoader<MessagesKey, Message[], string> {
    this.#messages ??= new DataLoader((keys) => this.service.messagesOf(keys), {
      cacheKeyFn: (key) => `${sessionKey(key.session.projectId, key.session.id)}?${key.limit}:${key.offset}`,
    });
    return this.#messages;
  }

  /** Pages of a path: the active branch, or the one ending at `leafId`. */
  get messagePages(): DataLoader<MessagePageKey, Page<Message>, string> {
    this.#messagePages ??= new DataLoader((keys) => this.service.branchPagesOf(keys), {
      cacheKeyFn: (k) => `${sessionKey(k.session.projectId, k.session.id)}@${k.leafId ?? ''}?${k.first}:${k.after}:${k.last}:${k.before}`,
    });
    return this.#messagePages;
  }

  /** Pages of every message of every branch, in the order written. */
  get allMessagePages(): DataLoader<AllMessagesKey, Page<Message>, string> {
    this.#allMessagePages ??= new DataLoader((keys) => this.service.allMessagePagesOf(keys), {
      cacheKeyFn: (k) => `${sessionKey(k.session.projectId, k.session.id)}?${k.first}:${k.after}:${k.last}:${k.before}`,
    });
    return this.#allMessagePages;
  }

  /** Siblings and child counts of messages, for every message of an operation in one store call. */
  get links(): DataLoader<Message, MessageLinks, string> {
    this.#links ??= new DataLoader((messages) => this.service.linksOf(messages), {
      cacheKeyFn: (m) => `${sessionKey(m.projectId, m.sessionId)}#${m.sequence}`,
    });
    return this.#links;
  }

  /** The newest message at or below each message, for every message of an operation in one store call. */
  get newestLeaves(): DataLoader<Message, string, string> {
    this.#newestLeaves ??= new DataLoader((messages) => this.service.newestLeavesOf(messages), {
      cacheKeyFn: (m) => `${sessionKey(m.projectId, m.sessionId)}#${m.sequence}`,
    });
    return this.#newestLeaves;
  }

  /** Project totals by project id. */
  get stats(): DataLoader<string, ProjectStats> {
    this.#stats ??= new DataLoader((projectIds) => this.service.projectStatsMany(projectIds));
    return this.#stats;
  }

  /**
   * Forgets what was loaded. A subscription runs its selection once per event with the same context: each event
   * must read the sessions and messages as they are then, not as the first event found them.
   */
  clear(): void {
    this.#sessions?.clearAll();
    this.#messages?.clearAll();
    this.#messagePages?.clearAll();
    this.#allMessagePages?.clearAll();
    this.#links?.clearAll();
    this.#newestLeaves?.clearAll();
    this.#stats?.clearAll();
  }
}
