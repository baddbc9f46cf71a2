// Property-based: arbitrary strings in id positions and arbitrary JSON bodies never yield a 5xx,
// and nothing is ever written outside DATA_DIR/projects (nor under a name that is not a valid id).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidId } from '../../src/domain/ids.js';
import { createTestApp } from '../helpers/app.js';
import { listDataFiles } from '../helpers/files.js';
import { restClient } from '../helpers/rest.js';

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '..%2F..%2Fetc', 'x'.repeat(300), 'ａ', '%E2%80%AE', 'p', 'S'),
);
const routes = ['', '/messages', '/full'];
const methods = ['GET', 'POST', 'PUT', 'DELETE'];

describe('fuzzing the REST shim', () => {
  it('never answers 5xx and never writes outside DATA_DIR/projects', async () => {
    const t = await createTestApp({ maxBodyBytes: 64 * 1024 });
    const call = restClient(t.app);
    const existing = (await call('POST', '/api/projects/p/sessions', { title: 'target' })).body.id as string;
    await fc.assert(
      fc.asyncProperty(
        segment,
        fc.oneof(segment, fc.constant(existing)),
        fc.constantFrom(...routes),
        fc.constantFrom(...methods),
        fc.oneof(fc.jsonValue(), fc.record({ title: fc.jsonValue(), role: fc.jsonValue(), content: fc.jsonValue(), metadata: fc.jsonValue() }, { requiredKeys: [] })),
        async (project, session, route, method, body) => {
          // Lone surrogates cannot be percent-encoded; send their replacement character instead.
          const enc = (s: string) => encodeURIComponent(s.toWellFormed());
          const url = `/api/projects/${enc(project)}/sessions/${enc(session)}${route}`;
          const response = await call(method, url, method === 'GET' || method === 'DELETE' ? undefined : body);
          expect(response.status, `${method} ${url}`).toBeLessThan(500);
          const created = await call('POST', `/api/projects/${enc(project)}/sessions`, body);
          expect(created.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    for (const file of await listDataFiles(t.dataDir)) {
      const [top, project, middle, session, name, ...rest] = file.split('/');
      expect(top, file).toBe('projects');
      // Deleted sessions wait in the project's trash, whole.
      expect(['chat_sessions', 'trash'], file).toContain(middle);
      expect(isValidId(project) && isValidId(session), file).toBe(true);
      expect(['metadata.json', 'messages.jsonl', 'messages.idx', 'tree.idx', ...(middle === 'trash' ? ['trashed.json'] : [])], file).toContain(name);
      expect(rest, file).toEqual([]);
    }
  });
});
