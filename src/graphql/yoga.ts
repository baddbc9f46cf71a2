// The GraphQL endpoint: Yoga serving the Pothos schema, with query limits, GraphiQL and error masking.
import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { type DocumentNode, GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { type Access, ANONYMOUS } from '../domain/access.js';
import { ConflictError, DomainError, ForbiddenError, SearchCatchingUpError, NotFoundError, StorageFullError, StoreCorruptionError, StoreUnavailableError, ValidationError } from '../domain/errors.js';
import { EventsInterruptedError, SlowSubscriberError } from '../events/bounded-feed.js';
import type { ChatService } from '../service/chat-service.js';
import type { GraphQLContext } from './context.js';
import { RequestLoaders } from './loaders.js';
import { schema } from './schema/index.js';

export interface GraphQLServerOptions {
  service: ChatService;
  logger: Logger;
  /** Allow introspection queries (default true; GraphiQL needs them). */
  introspection?: boolean;
  /** With authentication on, errors never suggest field names ("Did you mean ...?"). */
  authEnabled?: boolean;
  /** GraphiQL's page linking its bundle as separate cached files (dist/web); without it Yoga's page inlines the bundle. */
  graphiqlPage?: ((options: Record<string, unknown>) => string) | null;
}

/** What the HTTP shell (or the WebSocket endpoint) hands Yoga with each request. */
export interface GraphQLServerContext {
  requestId: string;
  /** What the caller's token allows. */
  access: Access;
  /** Filled in as Yoga reads the request (an object of its own: Yoga works on a copy of this context). */
  seen?: { operation?: OperationInfo };
}

/** The operation a request ran (type and name), for its log line and metrics. */
export interface OperationInfo {
  type: string;
  name: string | null;
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

const CODES = new Map<abstract new (...args: never[]) => DomainError, string>([
  [ValidationError, 'BAD_USER_INPUT'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [ForbiddenError, 'FORBIDDEN'],
  [SearchCatchingUpError, 'SEARCH_CATCHING_UP'],
]);

/** A fault of the server (not a rule the client broke, not a GraphQL error of its request): masked, logged, traced. */
function isServerFault(error: unknown): boolean {
  const cause = error instanceof GraphQLError ? error.originalError : error;
  if (error instanceof GraphQLError && (cause === undefined || cause instanceof GraphQLError)) return false;
  return !(cause instanceof DomainError || cause instanceof SlowSubscriberError || aroundFault(cause) !== null);
}

/**
 * A fault around the server rather than in it (the database away, the disk full, the event bus cut): the client gets
 * a code to act on (retry, resubscribe), and the part that saw it logs it once per outage, not once per request.
 */
function aroundFault(cause: unknown): { code: string; retryAfterSeconds?: number } | null {
  if (cause instanceof StoreUnavailableError) return { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: cause.retryAfterSeconds };
  if (cause instanceof StorageFullError) return { code: 'STORAGE_FULL' };
  if (cause instanceof EventsInterruptedError) return { code: 'EVENTS_INTERRUPTED' };
  return null;
}

/** The request each reported fault happened in, for the masked error's `requestId`. */
const faultRequests = new WeakMap<object, string>();

/**
 * Logs each server fault in a result with the id of its request, before the result is masked (this plugin runs
 * ahead of Yoga's masking), and remembers the id for the mask. Request ids are passed along in the GraphQL context
 * rather than through AsyncLocalStorage, whose promise hooks would tax every promise of every request.
 */
function useFaultReporting(log: Logger): Plugin<GraphQLContext> {
  const report = (context: GraphQLContext) => (payload: { result: { errors?: readonly GraphQLError[] } }) => {
    for (const error of payload.result.errors ?? []) {
      if (!isServerFault(error) || faultRequests.has(error)) continue;
      faultRequests.set(error, context.requestId);
      log.error({ requestId: context.requestId, err: error.originalError ?? error, path: error.path?.join('.') }, error.message);
    }
  };
  return {
    onExecute: ({ args }) => ({ onExecuteDone: (done) => handleStreamOrSingleExecutionResult(done, report(args.contextValue)) }),
    onSubscribe: ({ args }) => ({ onSubscribeResult: (done) => handleStreamOrSingleExecutionResult(done, report(args.contextValue)) }),
  };
}

/**
 * A subscription runs its selection once per event with one context: its loaders are emptied after each event, so
 * that the next one reads sessions and messages as they are then.
 */
function useFreshLoadsPerEvent(): Plugin<GraphQLContext> {
  return {
    onSubscribe: ({ args }) => ({
      onSubscribeResult: () => ({ onNext: () => args.contextValue.loaders.clear() }),
    }),
  };
}

/** Yoga's logger on pino. Faults inside execution are logged by useFaultReporting (with their request id), and the
 * client's own mistakes are not faults: neither is logged again here. */
function yogaLogger(log: Logger) {
  return {
    // Yoga logs a few debug lines per request: build them only when they are written.
    debug: (...args: unknown[]) => log.isLevelEnabled('debug') && log.debug(args.map(String).join(' ')),
    info: (...args: unknown[]) => log.info(args.map(String).join(' ')),
    warn: (...args: unknown[]) => log.warn(args.map(String).join(' ')),
    error: (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (args.length === 1 && (!isServerFault(first) || (typeof first === 'object' && first !== null && faultRequests.has(first)))) return;
      if (first instanceof Error) log.error({ err: first.cause instanceof Error ? first.cause : ((first as GraphQLError).originalError ?? first) }, first.message);
      else log.error([first, ...rest].map(String).join(' '));
    },
  };
}

/**
 * Yoga's answers are built with the process's own Response, looked up as each one is built. Under @hono/node-server
 * that is the adapter's lightweight Response, whose string body is written to the socket as it is; a Response of
 * Yoga's default fetch implementation would be read back through a stream, on every request.
 */
class ProcessResponse {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    // biome-ignore lint/correctness/noConstructorReturn: a stand-in class that builds the real Response
    return new globalThis.Response(body, init);
  }
}

/**
 * Parsed operations by their text, at most `max` of them, the oldest dropped first. Yoga's default cache (lru-cache
 * with a time to live) reads the clock and reorders on every hit, which showed in profiles of small mutations sent
 * thousands of times a second (streamed chunks); a lookup here is one Map read.
 */
class DocumentCache<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly max: number) {}
  get(key: string): T | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: T): void {
    if (this.entries.size >= this.max && !this.entries.has(key)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }
}

export function createGraphQLServer({ service, logger, introspection = true, authEnabled = false, graphiqlPage = null }: GraphQLServerOptions) {
  return createYoga<GraphQLServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    fetchAPI: { Response: ProcessResponse as typeof Response },
    // Validation results are cached by useValidationCache (below) instead of Yoga's keyed by the rules' names.
    parserAndValidationCache: { documentCache: new DocumentCache(1024), errorCache: new DocumentCache(1024), validationCache: false },
    // The HTTP shell refuses large bodies before they are read (hono/body-limit); checking again here only costs time.
    maxRequestBodySize: false,
    // CORS is the HTTP shell's (listed origins only). Yoga's own default would tell every origin, with credentials,
    // that it may read every answer: any web page could read a server without authentication.
    cors: false,
    landingPage: false,
    graphiql: { title: 'Chat session service', defaultQuery: DEFAULT_QUERY },
    // GraphiQL from this server's own files: it works with no internet access and no CDN. Built, its bundle is a set of
    // hashed files cached by the browser; otherwise it is inlined into the page, loaded the first time someone opens it.
    renderGraphiQL: graphiqlPage
      ? (options) => graphiqlPage({ ...options })
      : async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    logging: yogaLogger(logger.child({ component: 'graphql' })),
    context: ({ requestId, access }) => {
      const scoped = service.forAccess(access);
      return { service: scoped, loaders: new RequestLoaders(scoped), logger, requestId, anonymous: access === ANONYMOUS };
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        const cause = error instanceof GraphQLError ? error.originalError : error;
        if (cause instanceof SlowSubscriberError) {
          // The subscriber's own pace ended it: say so, so that it resumes with `after`.
          return new GraphQLError(cause.message, { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } });
        }
        const around = aroundFault(cause);
        if (around) {
          const nodes = error instanceof GraphQLError ? error.nodes : undefined;
          const path = error instanceof GraphQLError ? error.path : undefined;
          return new GraphQLError((cause as Error).message, { nodes, path, extensions: around });
        }
        if (error instanceof GraphQLError) {
          const original = error.originalError;
          if (original instanceof DomainError) {
            // A rule broken outside a result union (e.g. a bad cursor): the client's to fix, with a code to branch on.
            const code = CODES.get(original.constructor as abstract new (...args: never[]) => DomainError) ?? 'BAD_USER_INPUT';
            return new GraphQLError(original.message, {
              nodes: error.nodes,
              path: error.path,
              extensions: { ...error.extensions, code, ...(original instanceof ValidationError ? { issues: original.issues } : {}) },
            });
          }
          if (original === undefined || original instanceof GraphQLError) return error;
        }
        // Anything else is a fault of the server, logged with its request id (useFaultReporting); the client gets a mask,
        // which for damaged files says so, so that one broken session is told apart from a broken server.
        const masked = defaultMaskError(error, message, isDev);
        if (!(masked instanceof GraphQLError)) return masked;
        const damaged = (error instanceof GraphQLError ? error.originalError : error) instanceof StoreCorruptionError;
        return new GraphQLError(damaged ? 'The stored data of this session is damaged; the server log has the details.' : masked.message, {
          nodes: masked.nodes,
          path: masked.path,
          extensions: { ...masked.extensions, ...(damaged ? { reason: 'DATA_CORRUPTED' } : {}), requestId: faultRequests.get(error as object) },
        });
      },
    },
    plugins: [
      useValidationCache(),
      useFaultReporting(logger.child({ component: 'graphql' })),
      // Only with auth on is a request anonymous: otherwise the hook would run on every operation for nothing.
      ...(authEnabled ? [useAnonymousShareOnly()] : []),
      useFreshLoadsPerEvent(),
      {
        // Which operation a request ran, for its log line and metrics (the type only, as a bounded metric label).
        onParams: ({ params, context }: { params: { query?: string; operationName?: string | null }; context: Partial<GraphQLServerContext> }) => {
          const type = /^\s*(query|mutation|subscription)\b/.exec(params.query ?? '')?.[1] ?? 'query';
          if (context.seen) context.seen.operation = { type, name: params.operationName ?? null };
        },
      },
      ...(introspection ? [] : [useDisableIntrospection()]),
      // A GET or a form-like POST (no CORS preflight) must carry x-graphql-yoga-csrf: no cross-site request forgery.
      useCSRFPrevention(),
      // Generous enough for every contract query shape (a connection inside a connection), tight enough to stop abuse.
      EnvelopArmorPlugin({
        maxDepth: { n: 12, ignoreIntrospection: true },
        maxAliases: { n: 30 },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 20 },
        // Cost multiplies by page sizes: one connection at its largest page (1 000) fits; a page of pages does not.
        costLimit: { maxCost: 100_000 },
        blockFieldSuggestion: { enabled: authEnabled },
      }),
      // Compiles each distinct operation once into plain JavaScript (cached per document): the same resolvers,
      // far less per-field overhead than the generic executor.
      // Subscriptions stay on the standard executor: jit does not pass their arguments to `subscribe`.
      useGraphQlJit({}, { enableIf: ({ document }) => !document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription') }),
    ],
  });
}

/**
 * The validation result of each parsed operation (documents are cached above, so the same text is the same object).
 * The rules are the same for every request of a server, so the document alone is the key; Yoga's own cache keys by
 * the rules too, joining their ~30 names on every request.
 */
function useValidationCache(): Plugin<GraphQLContext> {
  const results = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    onValidate({ params: { documentAST }, setResult }) {
      const known = results.get(documentAST);
      if (known) {
        setResult(known);
        return;
      }
      return ({ result }) => {
        results.set(documentAST, result as readonly GraphQLError[]);
      };
    },
  };
}

/** Root fields a request without a token may select (auth on): what a share link shows, and nothing else. */
const ANONYMOUS_FIELDS = new Set(['sharedConversation', '__typename']);

/**
 * With auth on, a request without a token is let through the HTTP layer only so that a share link can be read over
 * GraphQL; any operation selecting anything else is answered 401, as every request without a token was before.
 */
function useAnonymousShareOnly(): Plugin<GraphQLContext> {
  const refuse = (args: { contextValue: GraphQLContext; document: DocumentNode; operationName?: string | null }) => {
    if (!args.contextValue.anonymous) return;
    const operations = args.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operations.length === 1 ? operations[0] : operations.find((o) => o.name?.value === args.operationName);
    const allowed =
      operation?.operation === 'query' &&
      operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && ANONYMOUS_FIELDS.has(s.name.value) && (s.directives?.length ?? 0) === 0);
    if (!allowed) {
      throw new GraphQLError('Missing bearer token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } } });
    }
  };
  return {
    onExecute: ({ args }) => refuse(args as never),
    onSubscribe: ({ args }) => refuse(args as never),
  };
}
