/**
 * `npm run dev` as a user runs it: usage errors exit 2, --help exits 0, and a full run starts a local hub,
 * a simulated device and `next dev`, prints the URL, serves the device list, and stops everything on SIGINT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/dev.ts');
const START_TIMEOUT_MS = 120_000;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runDev(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => text, exited };
}

async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, run: Run): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await predicate())) {
    if (run.child.exitCode !== null) throw new Error(`dev exited while waiting for ${what}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

test('--help prints the usage and exits 0', async () => {
  const run = runDev(['--help']);
  const { code } = await run.exited;
  assert.equal(code, 0);
  assert.match(run.output(), /Usage: npm run dev/);
});

test('bad arguments exit 2 with a pointer to --help', async () => {
  for (const args of [['--port', 'abc'], ['--devices', '101'], ['--bogus'], ['stray']]) {
    const run = runDev(args);
    const { code } = await run.exited;
    assert.equal(code, 2, `${args.join(' ')}: ${run.output()}`);
    assert.match(run.output(), /--help/);
  }
});

test('starts the hub, a device and the dashboard, serves the device list, and stops cleanly on SIGINT', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'twinboard-dev-test-'));
  let run: Run | null = null;
  t.after(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const port = await freePort();
  run = runDev(
    ['--port', String(port), '--devices', '1', '--mqtt-port', '0', '--https-port', '0', '--data-dir', join(dir, 'hub')],
    {
      TWINBOARD_DATA_DIR: join(dir, 'data'),
      // Its own build dir and tsconfig, so it neither meets a developer's `next dev` nor edits the root tsconfig.
      TWINBOARD_NEXT_DIST_DIR: '.next/test-dev-script',
      TWINBOARD_NEXT_TSCONFIG: 'tests/e2e/tsconfig.json',
    },
  );
  const current = run;

  await waitFor(() => current.output().includes(`twinboard is running at http://localhost:${port}`), 'the URL line', current);
  await waitFor(
    async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/devices`);
        if (!res.ok) return false;
        const body = (await res.json()) as { devices: Array<{ deviceId: string; connectionState: string }> };
        return body.devices.some((d) => d.deviceId === 'sim-device-1' && d.connectionState === 'Connected');
      } catch {
        return false;
      }
    },
    'sim-device-1 to show as Connected through the dashboard',
    current,
  );
  assert.match(current.output(), /^\[hub\] /m);
  assert.match(current.output(), /^\[sim\] /m);
  assert.match(current.output(), /^\[next\] /m);

  current.child.kill('SIGINT');
  const { code } = await current.exited;
  assert.equal(code, 0, current.output());
  assert.match(current.output(), /\[dev\]  stopped/);
  assert.match(current.output(), /simulator stopped/);
});
