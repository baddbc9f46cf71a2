// Request id and CORS headers, set on the handler's answer after it is made. Hono's own middlewares for these touch
// `c.res` before the handler runs or call `c.header` after it, and either makes Hono rebuild the handler's Response
// around a stream of its body; on @hono/node-server that turns a string written in one go into a stream copy, on
// every request. Setting headers on the finished Response's own Headers costs nothing of the kind.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

export type RequestIdEnv = { Variables: { requestId: string } };

const SANE_ID = /^[\w\-=]{1,128}$/;

/** Honours a sane incoming x-request-id (so a caller can follow its request through the logs), or makes one. */
export function requestIds(): MiddlewareHandler<RequestIdEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming !== undefined && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', id);
    await next();
    c.res.headers.set('x-request-id', id);
  };
}

/** CORS for the listed origins only (none by default). Preflights are answered by hono/cors with the same settings. */
export function corsFor(allowedOrigins: ReadonlySet<string>, exposeHeaders: readonly string[]): MiddlewareHandler {
  const preflight = cors({ origin: (origin) => (allowedOrigins.has(origin) ? origin : null), exposeHeaders: [...exposeHeaders] });
  const exposed = exposeHeaders.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const headers = c.res.headers;
    const origin = c.req.header('origin');
    if (origin !== undefined && allowedOrigins.has(origin)) {
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-expose-headers', exposed);
    }
    headers.append('vary', 'Origin');
  };
}
