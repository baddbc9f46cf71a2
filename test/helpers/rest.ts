// A small client for the REST shim over app.fetch: JSON in, status, headers and parsed JSON out.
import type { Hono } from 'hono';

export interface RestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export function restClient(app: Pick<Hono, 'fetch'>) {
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely, then assert their shape
  return async function request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RestResponse<T>> {
    const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await app.fetch(new Request(`http://test${path}`, init));
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
}
