import { spawn } from 'node:child_process';
import { once } from 'node:events';
const dir = process.argv[2]!;
for (const delay of [1100, 1400, 1700, 2000]) {
  const t = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate/cli.ts', '--data-dir', dir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, delay));
  child.kill('SIGKILL');
  await once(child, 'exit');
  console.log('killed after', Date.now() - t);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate/cli.ts', '--data-dir', dir], { stdio: 'inherit' });
const [code] = await once(child, 'exit');
console.log('rerun exit', code);
