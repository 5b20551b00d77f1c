/**
 * What every twinboard script shares: strict argument parsing with a usage text, the exit codes
 * (0 done, 1 failed, 2 usage error) and a direct-run guard.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error in how the script was called: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses argv strictly (unknown flags and stray positionals are usage errors). Returns null after printing
 * the usage text when --help or -h was given.
 */
export function parseCli<O extends Options>(argv: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage.trimEnd() + '\n');
    return null;
  }
  return parsed.values as ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];
}

/** Reads an integer flag value within [min, max]; a usage error otherwise. */
export function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

/** True when the module at `importMetaUrl` is the script node was asked to run. */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && importMetaUrl === pathToFileURL(entry).href;
}

/**
 * Runs a script's main and turns its failure into an exit code: usage errors print the message and
 * "--help" hint and exit 2; other errors print their message and exit 1.
 */
export function runMain(name: string, main: (argv: string[]) => Promise<unknown>): void {
  main(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${name}: ${err.message}\nRun with --help to see the options.\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT_FAILURE;
  });
}
