// What the two peer servers of scenario 4 serve: the query the scenario sends, from an SDL schema with plain
// resolvers over the same ChatStore as the service, messages batched per request with DataLoader and read as the
// service reads them: a window of each session's active branch (the store's readBranches). Built once with
// Yoga's createSchema (graphql-tools), so that both peers execute the very same schema.
import DataLoader from 'dataloader';
import { createSchema } from 'graphql-yoga';
import type { Message } from '../../src/domain/message.js';
import type { Session } from '../../src/domain/session.js';
import type { BranchRequest, ChatStore } from '../../src/store/store.js';

const typeDefs = /* GraphQL */ `
  enum MessageRole { USER ASSISTANT SYSTEM TOOL }
  type Message { id: ID! sequence: Int! role: MessageRole! content: String! createdAt: String! }
  type Session { id: ID! title: String! messageCount: Int! messages(limit: Int = 100, offset: Int = 0): [Message!]! }
  type Project { sessions: [Session!]! }
  type Query { project(id: ID!): Project! }
`;

type MessagesKey = { projectId: string; sessionId: string; limit: number; offset: number };

export interface PeerContext {
  messages: DataLoader<MessagesKey, Message[], string>;
}

/** A request's loaders: one store read for every messages field of the request. */
export function peerContext(store: ChatStore): PeerContext {
  return {
    messages: new DataLoader(
      async (keys) => {
        const requests = keys.map(({ projectId, sessionId, limit, offset }): BranchRequest => ({ projectId, sessionId, leafId: null, window: () => ({ from: offset + 1, to: offset + limit }) }));
        return (await store.readBranches(requests)).map((page) => page?.messages ?? []);
      },
      { cacheKeyFn: (k) => `${k.projectId}/${k.sessionId}?${k.limit}:${k.offset}` },
    ),
  };
}

export function peerSchema(store: ChatStore) {
  return createSchema<PeerContext>({
    typeDefs,
    resolvers: {
      MessageRole: { USER: 'user', ASSISTANT: 'assistant', SYSTEM: 'system', TOOL: 'tool' },
      Query: { project: (_root: unknown, args: { id: string }) => ({ id: args.id }) },
      Project: { sessions: (project: { id: string }) => store.listSessions(project.id, { includeInactive: false }) },
      Session: {
        messages: (session: Session, args: { limit: number; offset: number }, context: PeerContext) =>
          context.messages.load({ projectId: session.projectId, sessionId: session.id, limit: args.limit, offset: args.offset }),
      },
    },
  });
}
