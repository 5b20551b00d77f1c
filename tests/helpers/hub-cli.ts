/** Runs `scripts/local-hub.ts` as a child process for tests, with its output collected and a bounded wait for lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface HubProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text`; rejects after `timeoutMs` or if the process exits first. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

export function runHubCli(t: { after(fn: () => unknown): void }, args: string[]): HubProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local-hub.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 20_000) {
      const found = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      return new Promise<void>((done, fail) => {
        if (found()) return done();
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${String(text)}; stdout: ${out}; stderr: ${err}`)), timeoutMs);
        const onData = () => found() && finish();
        const onExit = () => finish(new Error(`the hub exited before printing ${String(text)}; stdout: ${out}; stderr: ${err}`));
        function finish(error?: Error) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          if (error) fail(error);
          else done();
        }
        child.stdout?.on('data', onData);
        child.once('exit', onExit);
      });
    },
  };
}
