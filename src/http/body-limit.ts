// Request body limit. hono/body-limit reads `request.body` first, which makes @hono/node-server build a full
// web-standard Request (with a stream over the socket) for every request; a declared length is checked from the
// header alone, and only bodies of unknown length are counted as they stream in, by hono/body-limit.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions {
  maxSize: number;
  /** The answer to a body over the limit. */
  onError: (c: Context) => Response | Promise<Response>;
}

/** The body's length as the request declares it (0 for methods without a body), or null when it is not known upfront. */
export function declaredBodyLength(c: Context): number | null {
  const { method } = c.req;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 0;
  const length = c.req.header('content-length');
  return length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length) ? Number(length) : null;
}

export function limitBody(options: BodyLimitOptions): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const length = declaredBodyLength(c);
    if (length === null) return streamed(c, next);
    return length > options.maxSize ? options.onError(c) : next();
  };
}
