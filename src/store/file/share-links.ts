// The file store's share links: one append-only file for the store, DATA_DIR/share-links.jsonl (a link is created,
// later perhaps revoked), each line synced before it is acknowledged and read into memory on first use. Links are
// few next to messages; a lookup by token hash is a map lookup.
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ShareLink } from '../../domain/session.js';
import { SerialQueue } from './serial-queue.js';

type Record = { k: 'c'; link: ShareLink } | { k: 'r'; projectId: string; id: string; at: string };

export class ShareLinks {
  private links: Map<string, ShareLink> | null = null;
  private readonly writes = new SerialQueue();
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(path.resolve(dataDir), 'share-links.jsonl');
  }

  private async load(): Promise<Map<string, ShareLink>> {
    if (this.links) return this.links;
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
    const links = new Map<string, ShareLink>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: Record;
      try {
        record = JSON.parse(line) as Record;
      } catch {
        // A torn last line (a crash mid-write) was never acknowledged.
        this.logger.warn({ file: this.file }, 'skipping a damaged line of the share links');
        continue;
      }
      if (record.k === 'c') links.set(record.link.id, record.link);
      else if (record.k === 'r') {
        const link = links.get(record.id);
        if (link && link.projectId === record.projectId) links.set(link.id, { ...link, revokedAt: record.at });
      }
    }
    this.links ??= links;
    return this.links;
  }

  private async append(record: Record): Promise<void> {
    const handle = await open(this.file, 'a', 0o644);
    try {
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  async create(link: ShareLink): Promise<void> {
    const links = await this.load();
    await this.writes.run(() => this.append({ k: 'c', link }));
    links.set(link.id, link);
  }

  async find(tokenHash: string): Promise<ShareLink | null> {
    for (const link of (await this.load()).values()) if (link.tokenHash === tokenHash) return link;
    return null;
  }

  async list(projectId: string): Promise<ShareLink[]> {
    return [...(await this.load()).values()].filter((l) => l.projectId === projectId).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  }

  async revoke(projectId: string, id: string, at: string): Promise<boolean> {
    const links = await this.load();
    return this.writes.run(async () => {
      const link = links.get(id);
      if (!link || link.projectId !== projectId || link.revokedAt !== null) return false;
      await this.append({ k: 'r', projectId, id, at });
      links.set(id, { ...link, revokedAt: at });
      return true;
    });
  }
}
