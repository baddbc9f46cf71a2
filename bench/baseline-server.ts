// The baseline for the HTTP scenarios: hand-written node:http endpoints over the same file store, answering the same
// JSON as the GraphQL and REST routes measured against it, with no framework in between.
import { createServer } from 'node:http';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { newId } from '../src/domain/ids.js';
import { FileStore } from '../src/store/file/file-store.js';

const config = loadConfig();
const store = new FileStore({ dataDir: config.dataDir, logger: pino({ level: 'silent' }) });

const toMessage = (m: { id: string; sequence: number; role: string; content: string; createdAt: string }) => ({
  id: m.id,
  sequence: m.sequence,
  role: m.role.toUpperCase(),
  content: m.content,
  createdAt: m.createdAt,
});

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  try {
    const [, projectId, sessionId] = /^\/([^/]+)(?:\/([^/]+))?/.exec(url.pathname) ?? [];
    if (!projectId) return send(404, { detail: 'Not Found' });
    if (req.method === 'GET' && !sessionId) {
      // Same answer as: project(id) { sessions { id title messageCount messages(limit: 20) { id sequence role content createdAt } } }
      const sessions = await store.listSessions(projectId, { includeInactive: false });
      const pages = await store.readMessages(sessions.map((s) => ({ projectId, sessionId: s.id, fromSeq: 1, toSeq: 20 })));
      return send(200, {
        data: { project: { sessions: sessions.map((s, i) => ({ id: s.id, title: s.title, messageCount: s.messageCount, messages: pages[i]!.map(toMessage) })) } },
      });
    }
    if (req.method === 'GET' && sessionId) {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const [page] = await store.readMessages([{ projectId, sessionId, fromSeq: offset + 1, toSeq: offset + limit }]);
      return send(200, page);
    }
    if (req.method === 'POST' && sessionId) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { role: 'user'; content: string };
      const result = await store.appendMessage({ projectId, sessionId }, { id: newId(), role: body.role, content: body.content, metadata: {}, clientMessageId: null });
      return send(201, result?.message);
    }
    send(404, { detail: 'Not Found' });
  } catch (error) {
    send(500, { detail: String(error) });
  }
});

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(JSON.stringify({ msg: 'listening', url: `http://${config.host}:${port}/` }));
});
process.on('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
