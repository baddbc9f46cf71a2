// Faults of the server itself (here, a damaged file on disk) are masked for the client and stay contained.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CreateSession, GetSession } from './operations.js';

describe('unexpected faults', () => {
  it('answers a clear internal error with a request id for a damaged session, and other sessions keep working', async () => {
    const dataDir = await tempDir();
    const damaged = path.join(dataDir, 'projects/p/chat_sessions/Broken');
    await mkdir(damaged, { recursive: true });
    await writeFile(path.join(damaged, 'metadata.json'), '{"format": 1, "title": ');
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const t = await createTestApp({ dataDir, logger });
    const response = await t.post({ query: '{ session(projectId: "p", id: "Broken") { id } }' }, { 'x-request-id': 'req-42' });
    const text = await response.text();
    expect(JSON.parse(text).errors).toEqual([
      expect.objectContaining({
        message: 'The stored data of this session is damaged; the server log has the details.',
        extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR', reason: 'DATA_CORRUPTED', requestId: 'req-42' }),
      }),
    ]);
    expect(text).not.toMatch(/metadata\.json|chat_sessions|\n\s+at /);
    // The server log has the details once, under the same request id; the request's own line carries it too.
    const faults = lines.filter((line) => line.level === 50);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ requestId: 'req-42', path: 'session', err: expect.objectContaining({ type: 'StoreCorruptionError' }) });
    expect(lines.filter((line) => line.msg === 'request')).toEqual([expect.objectContaining({ requestId: 'req-42', status: 200 })]);
    const created = await t.data(CreateSession, { projectId: 'p', input: { title: 'fine' } });
    if (created.createSession.__typename !== 'CreateSessionSuccess') throw new Error('create failed');
    expect((await t.data(GetSession, { projectId: 'p', id: created.createSession.session.id })).session?.title).toBe('fine');
  });
});
