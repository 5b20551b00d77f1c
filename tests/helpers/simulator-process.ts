/**
 * Runs scripts/simulate-device.ts as a child process, as a user would, and lets a test wait for its output lines
 * and its exit. The process is killed in t.after if the test leaves it running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const SCRIPT = 'scripts/simulate-device.ts';
const DEFAULT_TIMEOUT_MS = 20000;

export interface SimulatorProcess {
  child: ChildProcess;
  /** Every stdout and stderr line so far, in arrival order per stream, and both together. */
  stdout: string[];
  stderr: string[];
  lines: string[];
  /** Resolves with the first line (stdout or stderr) after index `from` that matches; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal); rejects if the process runs past the timeout. */
  exited: Promise<number | null>;
  /** All lines of both streams, for assertion messages. */
  output(): string;
}

export function startSimulator(
  t: { after(fn: () => unknown): void },
  args: string[],
  env: Record<string, string> = {},
): SimulatorProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const all: string[] = [];
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  let exitTimer: NodeJS.Timeout | undefined;
  const exited = new Promise<number | null>((resolve, reject) => {
    void exit.then((code) => {
      clearTimeout(exitTimer);
      resolve(code);
    });
    exitTimer = setTimeout(
      () => reject(new Error(`the simulator still runs after ${DEFAULT_TIMEOUT_MS} ms; output:\n${all.join('\n')}`)),
      DEFAULT_TIMEOUT_MS,
    );
  });
  // A test that never awaits `exited` must not fail on its rejection.
  exited.catch(() => undefined);
  t.after(async () => {
    if (exitCode === undefined) {
      child.kill('SIGKILL');
      await exit;
    }
  });

  const listeners = new Set<() => void>();
  const collect = (into: string[]) => (line: string) => {
    into.push(line);
    all.push(line);
    for (const listener of listeners) listener();
  };
  createInterface({ input: child.stdout! }).on('line', collect(stdout));
  createInterface({ input: child.stderr! }).on('line', collect(stderr));

  const output = () => all.join('\n');
  const waitForLine = (pattern: RegExp, options: { timeoutMs?: number; from?: number } = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      const from = options.from ?? 0;
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        fn();
      };
      const check = () => {
        const line = all.slice(from).find((l) => pattern.test(l));
        if (line !== undefined) finish(() => resolve(line));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no line matching ${pattern} within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms; output:\n${output()}`))),
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      listeners.add(check);
      void exit.then((code) => {
        // Let the last lines arrive before giving up.
        setImmediate(() => {
          check();
          if (listeners.has(check)) finish(() => reject(new Error(`the simulator exited (${code}) before printing ${pattern}; output:\n${output()}`)));
        });
      });
      check();
    });

  return { child, stdout, stderr, lines: all, waitForLine, exited, output };
}

/** Index for `from`: lines seen so far, so that a later wait only looks at newer lines. */
export function mark(sim: SimulatorProcess): number {
  return sim.lines.length;
}
