// What every command of the project does with its arguments: parse them strictly, and on a mistake print it with the
// command's help and exit 2.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Prints a usage mistake and the help, and exits with code 2. */
export function usage(help: string, message: string): never {
  process.stderr.write(`${message}\n\n${help}\n`);
  process.exit(2);
}

/** The parsed command line (options strictly as declared); exits 2 with the help on anything else. */
export function parseCommandLine<const T extends ParseArgsConfig>(help: string, config: T): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    usage(help, (error as Error).message);
  }
}
