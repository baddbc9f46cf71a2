// The data directory lock: taken with the holder's pid, refused while that process lives, taken over once it is gone.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../../src/store/file/data-dir-lock.js';
import { closeAfterTest, tempDir } from '../helpers/temp-dir.js';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  return child.pid!;
}

function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  closeAfterTest(async () => {
    child.kill('SIGKILL');
  });
  return child.pid!;
}

describe('data directory lock', () => {
  it('writes the holder (pid, host, start time) and removes the file on release', async () => {
    const dataDir = await tempDir();
    const lock = await acquireDataDirLock(dataDir);
    const written = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'));
    expect(written).toEqual({ pid: process.pid, hostname: hostname(), startedAt: lock.holder.startedAt });
    await lock.release();
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuses while the holding process is alive, naming it', async () => {
    const dataDir = await tempDir();
    const holder = { pid: livePid(), hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' };
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify(holder));
    const error = await acquireDataDirLock(dataDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(`pid ${holder.pid}`);
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toEqual(holder);
  });

  it('takes over a lock left by a dead process, and by an earlier life of its own pid', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: await deadPid(), hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const lock = await acquireDataDirLock(dataDir);
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }));
    const again = await acquireDataDirLock(dataDir);
    expect(again.holder.startedAt).not.toBe('2020-01-01T00:00:00.000Z');
    expect((await readdir(dataDir)).sort()).toEqual([LOCK_FILE]);
  });

  it('lets exactly one of many racing contenders take over a stale lock', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: await deadPid(), hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    // Separate processes, as real contenders would be.
    const script = `import('${path.resolve('src/store/file/data-dir-lock.ts')}').then(m => m.acquireDataDirLock(process.argv[1])).then(() => { console.log('won'); setTimeout(() => {}, 3000); }, e => { console.log(e.name); process.exit(0); })`;
    const contenders = Array.from({ length: 4 }, () => spawn(process.execPath, ['--import', 'tsx', '-e', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] }));
    const outputs = await Promise.all(
      contenders.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout!.on('data', (chunk) => {
              out += chunk;
              if (out.includes('\n')) resolve(out.trim());
            });
          }),
      ),
    );
    for (const child of contenders) child.kill('SIGKILL');
    expect(outputs.filter((o) => o === 'won')).toHaveLength(1);
    expect(outputs.filter((o) => o === 'DataDirLockedError')).toHaveLength(3);
  });
});
