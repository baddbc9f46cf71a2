// The service as the HTTP scenarios start it: the built JavaScript that `npm start` runs, built once per run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** What the scenarios pass to startProcess: measured as deployed, not through a TypeScript loader. */
export const SERVER = 'dist/main.js';

/** `npm run build` (tsc -p tsconfig.build.json), so that the run measures the code as it is now. */
export async function buildServer(): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`building the server failed (tsc exit code ${code})`);
}
