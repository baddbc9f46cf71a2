// A load generator in a process of its own: autocannon against one origin, cycling its requests over several paths.
// Input: one JSON argument {origin, paths, connections, seconds, method?, body?}; output: autocannon's JSON result.
import autocannon from 'autocannon';

const { origin, paths, connections, seconds, method, body } = JSON.parse(process.argv[2]!) as {
  origin: string;
  paths: string[];
  connections: number;
  seconds: number;
  method?: string;
  body?: unknown;
};
let next = 0;
const result = await autocannon({
  url: origin,
  connections,
  duration: seconds,
  ...(method ? { method: method as autocannon.Request['method'] } : {}),
  ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
});
process.stdout.write(JSON.stringify(result));
