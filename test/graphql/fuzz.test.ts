// Property-based: arbitrary variables (and arbitrary JSON in their place) for every operation never yield a 5xx
// or a stack trace, and never a file outside DATA_DIR/projects.
import fc from 'fast-check';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isValidId } from '../../src/domain/ids.js';
import { createTestApp } from '../helpers/app.js';
import { listDataFiles } from '../helpers/files.js';
import * as operations from './operations.js';

const documents = Object.values(operations).map((document) => print(document));

describe('fuzzing GraphQL', () => {
  it('never answers 5xx or with a stack trace, whatever the variables', async () => {
    const t = await createTestApp();
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('..', 'a/b', 'p', '%00', 'x'.repeat(300), 'bXNnOjE', 'USER'));
    const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue());
    const variables = fc.dictionary(
      fc.constantFrom('projectId', 'id', 'sessionId', 'input', 'first', 'last', 'after', 'before', 'limit', 'offset', 'force', 'includeInactive'),
      fc.oneof(value, fc.record({ title: value, role: value, content: value, metadata: value, clientMessageId: value, expectedVersion: value }, { requiredKeys: [] })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...documents), fc.oneof(variables, fc.jsonValue()), async (query, vars) => {
        const response = await t.post({ query, variables: vars });
        const body = await response.text();
        expect(response.status, body).toBeLessThan(500);
        expect(body).not.toMatch(/\n\s+at |node_modules|\/src\//);
      }),
      { numRuns: 400 },
    );
    for (const file of await listDataFiles(t.dataDir)) {
      const [top, project, , session] = file.split('/');
      expect(top).toBe('projects');
      expect(isValidId(project) && isValidId(session), file).toBe(true);
    }
  });
});
