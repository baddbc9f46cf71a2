// Peer of scenario 4: mercurius on fastify with graphql-jit (compiled from the first request on), over the SDL schema
// of peer-schema.ts.
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { peerContext, peerSchema } from './peer-schema.js';

const config = loadConfig();
const store = new FileStore({ dataDir: config.dataDir, logger: pino({ level: 'silent' }) });
const app = Fastify({ logger: false });
await app.register(mercurius, { schema: peerSchema(store), context: () => peerContext(store), jit: 1, graphiql: false });
const url = await app.listen({ port: config.port, host: config.host });
console.log(JSON.stringify({ msg: 'listening', url: `${url}/graphql` }));
process.on('SIGTERM', () => void app.close().then(() => store.close()).then(() => process.exit(0)));
