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

export function limitBody(options: BodyLimitOptions): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const { method } = c.req;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length)) {
      return Number(length) > options.maxSize ? options.onError(c) : next();
    }
    return streamed(c, next);
  };
}
