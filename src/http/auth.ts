// Authenticates every request but the open ones (health, readiness, metrics, the API docs, the GraphiQL page and the
// web app's files):
// its Access is set on the context; a missing or bad token is answered 401 here, in each transport's own shape.
import type { MiddlewareHandler } from 'hono';
import { type Authenticate, UnauthenticatedError } from '../auth/authenticate.js';
import { type Access, ANONYMOUS } from '../domain/access.js';

export type AuthEnv = { Variables: { access: Access } };

function isOpen(method: string, path: string, accept: string): boolean {
  if (['/healthz', '/readyz', '/metrics'].includes(path)) return true;
  if (method === 'GET' && (path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/assets/'))) return true;
  // The web app's page and files: the app asks for a token itself and sends it with each operation.
  if (method === 'GET' && (path === '/' || path.startsWith('/p/') || path.startsWith('/assets/'))) return true;
  // A share link's page: its token is its credential.
  if (method === 'GET' && path.startsWith('/shared/')) return true;
  // The GraphiQL page itself; the operations it sends carry their own token.
  return method === 'GET' && path === '/graphql' && accept.includes('text/html');
}

export function authenticateRequests(authenticate: Authenticate, authEnabled: boolean): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS' || isOpen(c.req.method, c.req.path, c.req.header('accept') ?? '')) return next();
    if (authEnabled && c.req.path === '/graphql' && c.req.header('authorization') === undefined) {
      // No token at all: the GraphQL server lets only Query.sharedConversation through, and answers 401 otherwise.
      c.set('access', ANONYMOUS);
      return next();
    }
    try {
      c.set('access', await authenticate(c.req.header('authorization')));
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      c.header('WWW-Authenticate', 'Bearer');
      if (c.req.path.startsWith('/graphql')) return c.json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] }, 401);
      return c.json({ detail: error.message }, 401);
    }
    return next();
  };
}
