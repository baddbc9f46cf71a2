// Retention through the service on both stores, with a clock the test controls: archived and untouched sessions move
// to the trash, the trash is erased after trashDays, trashDays 0 erases at once, and two sweeps at once do each thing once.
import { describe, expect, it } from 'vitest';
import { ChatService } from '../../src/service/chat-service.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { ChatStore } from '../../src/store/store.js';
import { silentLogger } from '../helpers/app.js';
import { postgresSchemas, TEST_DATABASE_URL as url } from '../helpers/postgres-schemas.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

const schemas = postgresSchemas();

const DAY = 24 * 3600 * 1000;

const stores: [string, () => Promise<ChatStore[]>][] = [
  ['file', async () => {
    const store = new FileStore({ dataDir: await tempDir(), logger: silentLogger });
    closeAfterTest(() => store.close());
    return [store];
  }],
  ['postgres', async () => {
    const schema = await schemas.create();
    return [0, 1].map(() => {
      const store = new PostgresStore({ connectionString: url, schema, poolSize: 4 });
      closeAfterTest(() => store.close());
      return store;
    });
  }],
];

describe.each(stores)('retention on the %s store', (_name, open) => {
  it('moves archived and untouched sessions to the trash and erases the trash after trashDays, as the clock says', async () => {
    const [store] = await open();
    const service = new ChatService({ store: store!, maxMessageBytes: 1000 });
    expect(await service.retention('r')).toEqual({ archivedDays: null, inactiveDays: null, trashDays: 30 });
    const fresh = await service.createSession('r', { title: 'fresh' });
    const archived = await service.createSession('r', { title: 'archived' });
    await service.updateSession('r', archived.id, { isActive: false });
    const deleted = await service.createSession('r', { title: 'deleted' });
    await service.deleteSession('r', deleted.id);
    const now = Date.now();
    // The default policy keeps everything live; the trash waits 30 days.
    expect(await service.sweepRetention('r', now)).toEqual({ trashed: 0, erased: 0 });
    expect(await service.sweepRetention('r', now + 31 * DAY)).toEqual({ trashed: 0, erased: 1 });
    expect((await service.trashPage('r', {})).totalCount).toBe(0);

    await expect(service.setRetentionPolicy('r', { archivedDays: -1 })).rejects.toThrow(/archivedDays/);
    expect(await service.setRetentionPolicy('r', { archivedDays: 10, trashDays: 5 })).toEqual({ archivedDays: 10, inactiveDays: null, trashDays: 5 });
    expect(await service.sweepRetention('r', now + 9 * DAY)).toEqual({ trashed: 0, erased: 0 });
    expect(await service.sweepRetention('r', now + 11 * DAY)).toEqual({ trashed: 1, erased: 0 });
    expect((await service.trashPage('r', {})).edges.map((e) => e.node.session.id)).toEqual([archived.id]);
    expect(await service.sweepRetention('r', now + 11 * DAY)).toEqual({ trashed: 0, erased: 0 });
    expect(await service.sweepRetention('r', now + 17 * DAY)).toEqual({ trashed: 0, erased: 1 });

    await service.setRetentionPolicy('r', { inactiveDays: 100, trashDays: 0 });
    expect(await service.retention('r')).toEqual({ archivedDays: 10, inactiveDays: 100, trashDays: 0 });
    expect(await service.sweepRetention('r', now + 101 * DAY)).toEqual({ trashed: 1, erased: 0 });
    expect(await service.getSession('r', fresh.id)).toBeNull();
    expect((await service.trashPage('r', {})).totalCount).toBe(0);
    // trashDays 0: deleting erases at once, as before the trash.
    const gone = await service.createSession('r', { title: 'gone' });
    await service.deleteSession('r', gone.id);
    expect((await service.trashPage('r', {})).totalCount).toBe(0);
    expect(await service.restoreSession('r', gone.id).catch((e: Error) => e.name)).toBe('NotFoundError');
  });

  it('runs one sweep at a time per project: two at once erase each session once and miss none', async () => {
    const [a, b = a] = await open();
    const one = new ChatService({ store: a!, maxMessageBytes: 1000 });
    const two = new ChatService({ store: b!, maxMessageBytes: 1000 });
    for (let i = 0; i < 10; i++) await one.deleteSession('s', (await one.createSession('s', { title: `s${i}` })).id);
    const later = Date.now() + 40 * DAY;
    const results = await Promise.all([one.sweepRetention('s', later), two.sweepRetention('s', later)]);
    const erased = results.reduce((n, r) => n + (r?.erased ?? 0), 0);
    expect(erased).toBe(10);
    expect((await one.trashPage('s', {})).totalCount).toBe(0);
    expect((await one.sweepRetention('s', later))?.erased).toBe(0);
  });
});
