// What the two peer servers of scenario 4 serve: the query the scenario sends, from an SDL schema with plain
// resolvers over the same ChatStore as the service, messages batched per request with DataLoader. Built once with
// Yoga's createSchema (graphql-tools), so that both peers execute the very same schema.
import DataLoader from 'dataloader';
import { createSchema } from 'graphql-yoga';
import type { Message } from '../../src/domain/message.js';
import type { Session } from '../../src/domain/session.js';
import type { ChatStore, MessageRange } from '../../src/store/store.js';

const typeDefs = /* GraphQL */ `
  enum MessageRole { USER ASSISTANT SYSTEM TOOL }
  type Message { id: ID! sequence: Int! role: MessageRole! content: String! createdAt: String! }
  type Session { id: ID! title: String! messageCount: Int! messages(limit: Int = 100, offset: Int = 0): [Message!]! }
  type Project { sessions: [Session!]! }
  type Query { project(id: ID!): Project! }
`;

export interface PeerContext {
  messages: DataLoader<MessageRange, Message[], string>;
}

/** A request's loaders: one store read for every messages field of the request. */
export function peerContext(store: ChatStore): PeerContext {
  return {
    messages: new DataLoader((ranges) => store.readMessages(ranges), { cacheKeyFn: (r) => `${r.projectId}/${r.sessionId}/${r.fromSeq}/${r.toSeq}` }),
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
          context.messages.load({ projectId: session.projectId, sessionId: session.id, fromSeq: args.offset + 1, toSeq: args.offset + args.limit }),
      },
    },
  });
}
