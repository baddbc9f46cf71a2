// The REST shim on a conversation with branches: legacy routes show the active branch, parent_id starts a branch.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { restClient } from '../helpers/rest.js';

const S = '/api/projects/p/sessions';

async function setup() {
  const t = await createTestApp();
  const call = restClient(t.app);
  const created = await call('POST', S, { title: 'branches' });
  const id = created.body.id as string;
  const add = async (content: string, extra: Record<string, unknown> = {}) => {
    const r = await call('POST', `${S}/${id}/messages`, { role: 'user', content, ...extra });
    return r;
  };
  return { ...t, call, id, add };
}

describe('REST shim with branches', () => {
  it('continues the active branch, follows parent_id, and lists the active branch in messages and full', async () => {
    const t = await setup();
    const one = (await t.add('one')).body;
    expect(one).toMatchObject({ parent_id: null, status: 'complete', sequence: 1 });
    expect(one.updated_at).toBe(one.created_at);
    const two = (await t.add('two')).body;
    expect(two.parent_id).toBe(one.id);
    const alt = await t.add('two, regenerated', { parent_id: one.id });
    expect(alt.status).toBe(201);
    expect(alt.body).toMatchObject({ parent_id: one.id, sequence: 3 });
    const three = (await t.add('three')).body;
    expect(three.parent_id).toBe(alt.body.id);

    const listed = await t.call('GET', `${S}/${t.id}/messages`);
    expect(listed.body.map((m: { content: string }) => m.content)).toEqual(['one', 'two, regenerated', 'three']);
    const paged = await t.call('GET', `${S}/${t.id}/messages?limit=2&offset=1`);
    expect(paged.body.map((m: { sequence: number }) => m.sequence)).toEqual([3, 4]);
    const full = await t.call('GET', `${S}/${t.id}/full`);
    expect(full.body.session).toMatchObject({ message_count: 4, active_leaf_id: three.id });
    expect(full.body.messages.map((m: { content: string }) => m.content)).toEqual(['one', 'two, regenerated', 'three']);
    const session = await t.call('GET', `${S}/${t.id}`);
    expect(session.body).toMatchObject({ message_count: 4, active_leaf_id: three.id });
    const stats = await t.call('GET', '/api/projects/p/stats');
    expect(stats.body).toMatchObject({ total_messages: 4 });
  });

  it('answers 404 for a parent_id of another session and 422 for a malformed one, adding nothing', async () => {
    const t = await setup();
    const other = await t.call('POST', S, { title: 'other' });
    const foreign = (await t.call('POST', `${S}/${other.body.id}/messages`, { role: 'user', content: 'x' })).body;
    const refused = await t.add('x', { parent_id: foreign.id });
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({ detail: `Message ${foreign.id} not found in session ${t.id}` });
    const malformed = await t.add('x', { parent_id: '../../etc' });
    expect(malformed.status).toBe(422);
    expect((await t.call('GET', `${S}/${t.id}`)).body).toMatchObject({ message_count: 0, active_leaf_id: null });
  });

  it('shows a streaming message to legacy clients with the content so far, status streaming, then complete', async () => {
    const t = await setup();
    const question = (await t.add('question')).body;
    const started = await t.service.startMessage('p', t.id, { role: 'assistant', content: 'A: ' });
    await t.service.appendMessageContent('p', t.id, started.message.id, 0, 'partial');
    const listed = await t.call('GET', `${S}/${t.id}/messages`);
    expect(listed.body.map((m: { content: string; status: string }) => [m.content, m.status])).toEqual([['question', 'complete'], ['A: partial', 'streaming']]);
    expect(listed.body[1].parent_id).toBe(question.id);
    expect(listed.body[1].updated_at >= listed.body[1].created_at).toBe(true);
    const full = await t.call('GET', `${S}/${t.id}/full`);
    expect(full.body.messages.at(-1)).toMatchObject({ content: 'A: partial', status: 'streaming' });
    expect(full.body.session.active_leaf_id).toBe(started.message.id);
    await t.service.appendMessageContent('p', t.id, started.message.id, 1, ' and whole');
    await t.service.finishMessage('p', t.id, started.message.id, { status: 'incomplete' });
    const after = await t.call('GET', `${S}/${t.id}/messages`);
    expect(after.body[1]).toMatchObject({ content: 'A: partial and whole', status: 'incomplete' });
  });
});
