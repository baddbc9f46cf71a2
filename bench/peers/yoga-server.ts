// Peer of scenario 4: bare graphql-yoga on node:http, the SDL schema of peer-schema.ts, graphql-jit, nothing else.
import { createServer } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga } from 'graphql-yoga';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { peerContext, peerSchema } from './peer-schema.js';

const config = loadConfig();
const store = new FileStore({ dataDir: config.dataDir, logger: pino({ level: 'silent' }) });
const yoga = createYoga({ schema: peerSchema(store), context: () => peerContext(store), logging: false, landingPage: false, graphiql: false, plugins: [useGraphQlJit()] });
const server = createServer(yoga);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(JSON.stringify({ msg: 'listening', url: `http://${config.host}:${port}/graphql` }));
});
process.on('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
