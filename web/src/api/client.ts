// The app's one way to the server: queries and mutations over HTTP (urql's core client; a File variable goes as a
// multipart upload), subscriptions over Server-Sent Events (graphql-sse), both with the access token when there is one.
import { type AnyVariables, Client, fetchExchange, stringifyDocument, type TypedDocumentNode } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';

const TOKEN_KEY = 'chat.accessToken';

export function accessToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setAccessToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function authHeaders(): Record<string, string> {
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The server wants a token (401): the app asks for one and tries again. */
export class UnauthenticatedError extends Error {}

const client = new Client({
  url: '/graphql',
  exchanges: [fetchExchange],
  requestPolicy: 'network-only',
  preferGetMethod: false,
  // Yoga refuses a form-like POST (an upload) without this header: no cross-site request forgery.
  fetchOptions: () => ({ headers: { 'x-graphql-yoga-csrf': '1', ...authHeaders() } }),
});

/** Runs a query or mutation; throws on a transport or GraphQL error (result unions carry the expected failures). */
export async function request<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
  const run = operation && 'operation' in operation && operation.operation === 'mutation' ? client.mutation(document, variables) : client.query(document, variables);
  const result = await run.toPromise();
  if (result.error) {
    const status = (result.error.response as Response | undefined)?.status;
    if (status === 401 || result.error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) throw new UnauthenticatedError('An access token is needed');
    throw new Error(result.error.graphQLErrors[0]?.message ?? result.error.message);
  }
  if (!result.data) throw new Error('The server sent no data');
  return result.data;
}

const sse = createSseClient({
  url: '/graphql',
  headers: authHeaders,
  // The app resubscribes itself (and catches up) when a subscription ends: one place for that, not two.
  retryAttempts: 0,
});

export interface Subscription {
  /** Stops it; no further callback. */
  close(): void;
}

/**
 * Subscribes until closed. `onEvent` gets each event; `onLost` is called once if the subscription ends or fails by
 * itself (a dropped connection, the server restarting, EVENTS_INTERRUPTED), so that the caller can catch up and
 * subscribe again; `onConnected` once the server has taken it.
 */
export function subscribe<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  onEvent: (data: Data) => void,
  onLost: (reason: unknown) => void,
  onConnected?: () => void,
): Subscription {
  let closed = false;
  const lost = (reason: unknown) => {
    if (closed) return;
    closed = true;
    onLost(reason);
  };
  const dispose = sse.subscribe<Data>(
    { query: stringifyDocument(document), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (closed) return;
        if (result.errors?.length) lost(result.errors[0]);
        else if (result.data) onEvent(result.data as Data);
      },
      error: lost,
      complete: () => lost(new Error('the subscription ended')),
    },
    { connected: () => !closed && onConnected?.() },
  );
  return {
    close() {
      closed = true;
      dispose();
    },
  };
}
