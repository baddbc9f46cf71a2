// GraphQL over a real port: on Node, Yoga reads requests straight from the socket; the answers, limits, headers,
// logs and metrics are the same as through app.fetch.
import { describe, expect, it } from 'vitest';
import { startLiveServer } from '../helpers/live-server.js';

const json = { 'content-type': 'application/json' };

/** A body sent in chunks with no declared length (Transfer-Encoding: chunked). */
function chunked(text: string): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 1000) controller.enqueue(bytes.subarray(at, at + 1000));
      controller.close();
    },
  });
  return { body, duplex: 'half' };
}

describe('GraphQL over a real port', () => {
  it('answers bodies of declared and of undeclared length alike, and refuses either over the limit with 413', async () => {
    const { base } = await startLiveServer();
    const create = JSON.stringify({ query: 'mutation { createSession(projectId: "p", input: { title: "over http" }) { __typename } }' });
    const declared = await fetch(`${base}/graphql`, { method: 'POST', headers: { ...json, 'x-request-id': 'given-1' }, body: create });
    expect(await declared.json()).toEqual({ data: { createSession: { __typename: 'CreateSessionSuccess' } } });
    expect(declared.headers.get('x-request-id')).toBe('given-1');
    expect(declared.headers.get('x-content-type-options')).toBe('nosniff');
    expect(declared.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(declared.headers.get('vary')).toBe('Origin');

    const read = JSON.stringify({ query: 'query Titles { project(id: "p") { sessions { title } } }', operationName: 'Titles' });
    const streamed = await fetch(`${base}/graphql`, { method: 'POST', headers: json, ...chunked(read) } as RequestInit);
    expect(await streamed.json()).toEqual({ data: { project: { sessions: [{ title: 'over http' }] } } });

    const huge = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(1024 * 1024)}` });
    const tooLarge = await fetch(`${base}/graphql`, { method: 'POST', headers: json, body: huge });
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const tooLargeStreamed = await fetch(`${base}/graphql`, { method: 'POST', headers: json, ...chunked(huge) } as RequestInit);
    expect(tooLargeStreamed.status).toBe(413);

    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ project(id: "p") { id } }')}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(await get.json()).toEqual({ data: { project: { id: 'p' } } });

    // Each request was counted under its operation type.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200",operation="mutation"\} 1/);
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200",operation="query"\} 1/);
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="413",operation=""\} 2/);
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/graphql",status="200",operation="query"\} 1/);
  });

  it('answers a malformed body with a GraphQL error, never a 5xx', async () => {
    const { base } = await startLiveServer();
    for (const body of ['{"query":', 'null', '[1,2', '{"query": 42}']) {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: json, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect((await response.json()).errors.length).toBeGreaterThan(0);
    }
  });
});
