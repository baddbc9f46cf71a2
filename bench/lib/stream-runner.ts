// A writer load in a process of its own: `connections` loops, each sending its next request as soon as the one before
// is answered, for `seconds`. Mode "chunks": loop i appends chunks of ~20 characters to streamed message i (GraphQL
// appendMessageContent, index after index); mode "posts": every loop POSTs messages to one session (REST shim);
// mode "messages": the same appends to one session through GraphQL addMessage.
// Input: one JSON argument; output: {acknowledged, failed, seconds}.
import http from 'node:http';

const input = JSON.parse(process.argv[2]!) as {
  origin: string;
  mode: 'chunks' | 'posts' | 'messages';
  seconds: number;
  /** chunks: one per loop; posts: the one session. */
  targets: { projectId: string; sessionId: string; messageId?: string; next?: number }[];
  connections: number;
};
const agent = new http.Agent({ keepAlive: true, maxSockets: input.connections });
const url = new URL(input.origin);
const CHUNK = 'twenty chars, about ';
const ADD = 'mutation($p: ID!, $s: ID!) { addMessage(projectId: $p, sessionId: $s, input: { role: USER, content: "benchmark message" }) { __typename } }';
const APPEND = 'mutation($p: ID!, $s: ID!, $m: ID!, $i: Int!, $c: String!) { appendMessageContent(projectId: $p, sessionId: $s, messageId: $m, index: $i, chunk: $c) { __typename } }';

function post(path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

let acknowledged = 0;
let failed = 0;
const deadline = performance.now() + input.seconds * 1000;
const began = performance.now();
await Promise.all(
  Array.from({ length: input.connections }, async (_, i) => {
    const target = input.mode === 'chunks' ? input.targets[i]! : input.targets[0]!;
    let index = target.next ?? 0;
    while (performance.now() < deadline) {
      try {
        const answer =
          input.mode === 'chunks'
            ? await post('/graphql', JSON.stringify({ query: APPEND, variables: { p: target.projectId, s: target.sessionId, m: target.messageId, i: index, c: CHUNK } }))
            : input.mode === 'messages'
              ? await post('/graphql', JSON.stringify({ query: ADD, variables: { p: target.projectId, s: target.sessionId } }))
              : await post(`/api/projects/${target.projectId}/sessions/${target.sessionId}/messages`, JSON.stringify({ role: 'user', content: 'benchmark message' }));
        const ok =
          input.mode === 'chunks' ? answer.text.includes('AppendContentSuccess') : input.mode === 'messages' ? answer.text.includes('AddMessageSuccess') : answer.status === 201;
        if (ok) {
          acknowledged += 1;
          index += 1;
        } else failed += 1;
      } catch {
        failed += 1;
      }
    }
  }),
);
process.stdout.write(JSON.stringify({ acknowledged, failed, seconds: (performance.now() - began) / 1000 }));
agent.destroy();
