// One log line and one metric sample per request: request id, method, path, status,
// duration and GraphQL operation. Never bodies, tokens or message contents.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

export type RequestLogEnv = { Variables: { requestId: string; operation?: { type: string; name: string | null } } };

/** A bounded label for a path: its first segment among the known ones. */
function routeOf(path: string): string {
  const first = `/${path.split('/')[1] ?? ''}`;
  return ['/graphql', '/api', '/healthz', '/readyz', '/metrics'].includes(first) ? first : 'other';
}

export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler<RequestLogEnv> {
  return async (c, next) => {
    const began = performance.now();
    await next();
    const seconds = (performance.now() - began) / 1000;
    const operation = c.get('operation');
    const status = c.res.status;
    metrics.observeRequest({ method: c.req.method, route: routeOf(c.req.path), status, operation: operation?.type ?? '' }, seconds);
    logger[status >= 500 ? 'error' : 'info'](
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status, durationMs: Math.round(seconds * 10_000) / 10, ...(operation ? { operation } : {}) },
      'request',
    );
  };
}
