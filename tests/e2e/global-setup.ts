/**
 * Starts tests/e2e/stack.ts (hub, simulated devices, production dashboard) once for the whole run, passes
 * where it listens to the tests through the environment, and stops it afterwards.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../..');
const READY_PREFIX = 'TWINBOARD_E2E_READY ';
const START_TIMEOUT_MS = 180_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const logDir = join(ROOT, 'test-results');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, 'e2e-stack.log');
  const logStream = createWriteStream(logFile);

  const stack = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/e2e/stack.ts')], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stderr.pipe(logStream);
  const exited = new Promise<number | null>((done) => stack.once('exit', (code) => done(code)));

  const ready = new Promise<string>((done, fail) => {
    createInterface({ input: stack.stdout }).on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) done(line.slice(READY_PREFIX.length));
    });
    void exited.then((code) => fail(new Error(`the e2e stack exited (code ${code}) before it was ready; see ${logFile}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the e2e stack was not ready within ${START_TIMEOUT_MS / 1000} s; see ${logFile}`)), START_TIMEOUT_MS);
  });

  let info: string;
  try {
    info = await Promise.race([ready, timeout]);
  } catch (err) {
    stack.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
  process.env.TWINBOARD_E2E_STACK = info;
  process.env.TWINBOARD_E2E_URL = (JSON.parse(info) as { url: string }).url;

  return async () => {
    if (stack.exitCode === null) stack.kill('SIGINT');
    const killer = setTimeout(() => stack.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
    logStream.end();
  };
}
