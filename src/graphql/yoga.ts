// The GraphQL endpoint: Yoga serving the Pothos schema, with query limits, GraphiQL and error masking.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { ChatService } from '../service/chat-service.js';
import type { GraphQLContext } from './context.js';
import { schema } from './schema/index.js';

export interface GraphQLServerOptions {
  service: ChatService;
  logger: Logger;
  maxBodyBytes: number;
}

/** What the HTTP shell hands Yoga with each request. */
export interface GraphQLServerContext {
  requestId: string;
}

const DEFAULT_QUERY = `# Chat session service. Create a session, add a message, then read it back.
# Press the run button and pick an operation.

mutation CreateSession {
  createSession(projectId: "demo", input: { title: "First chat" }) {
    ... on CreateSessionSuccess { session { id title version } }
    ... on Error { message }
  }
}

query Project {
  project(id: "demo") {
    stats { totalSessions totalMessages lastActivityAt }
    sessions {
      id
      title
      messageCount
      updatedAt
      messagesConnection(last: 20) {
        edges { cursor node { sequence role content createdAt } }
        pageInfo { hasPreviousPage startCursor }
      }
    }
  }
}
`;

const CODES = new Map<Function, string>([
  [ValidationError, 'BAD_USER_INPUT'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
]);

export function createGraphQLServer({ service, logger, maxBodyBytes }: GraphQLServerOptions) {
  return createYoga<GraphQLServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    maxRequestBodySize: maxBodyBytes,
    landingPage: false,
    graphiql: { title: 'Chat session service', defaultQuery: DEFAULT_QUERY },
    logging: logger.child({ component: 'graphql' }),
    context: ({ requestId }) => ({ service, logger, requestId }),
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        if (original instanceof DomainError) {
          // A rule broken outside a result union (e.g. a bad cursor): the client's to fix, with a code to branch on.
          const extensions: Record<string, unknown> = { code: CODES.get(original.constructor) ?? 'BAD_USER_INPUT' };
          if (original instanceof ValidationError) extensions['issues'] = original.issues;
          return new GraphQLError(original.message, {
            ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
            extensions,
          });
        }
        if (error instanceof GraphQLError && original instanceof GraphQLError) return error;
        logger.error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error in a GraphQL operation');
        return defaultMaskError(error, message, isDev);
      },
    },
    plugins: [
      // Generous enough for every contract query shape (a connection inside a connection), tight enough to stop abuse.
      EnvelopArmorPlugin({
        maxDepth: { n: 12, ignoreIntrospection: true },
        maxAliases: { n: 30 },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 20 },
        costLimit: { maxCost: 20000 },
        blockFieldSuggestion: { enabled: false },
      }),
    ],
  });
}
