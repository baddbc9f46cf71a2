// A fresh temp directory per test, removed afterwards; tests never touch the real data/.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  // Close what still writes into the directories (stores, servers) before removing them.
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `close` after the current test, before its temp directories are removed. */
export function closeAfterTest(close: () => Promise<void>): void {
  closers.push(close);
}

/**
 * A new empty directory, removed after the current test. `inMemory`: on /dev/shm where the machine has it, for tests
 * that write thousands of small files and measure something else than the disk.
 */
export async function tempDir(options: { inMemory?: boolean } = {}): Promise<string> {
  const base = options.inMemory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = await mkdtemp(path.join(base, 'chat-test-'));
  made.push(dir);
  return dir;
}
