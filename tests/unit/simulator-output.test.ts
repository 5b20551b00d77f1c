import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEvent, formatLine, SimulatorOutput } from '../../lib/simulator/output';
import { forEachLimited } from '../../lib/simulator/pool';

test('each line is "<ISO time> <device id> <what happened>"', () => {
  assert.equal(formatLine('d1', 'connected', new Date('2026-01-02T03:04:05.006Z')), '2026-01-02T03:04:05.006Z d1 connected');
  assert.equal(describeEvent({ type: 'reboot-requested', methodName: 'rebootDevice' }), 'reboot requested (method rebootDevice)');
  assert.equal(
    describeEvent({ type: 'answered', methodName: 'rebootDevice', status: 200, payload: { message: 'Rebooting' } }),
    'answered rebootDevice with 200 {"message":"Rebooting"}',
  );
  assert.equal(describeEvent({ type: 'offline', seconds: 10 }), 'offline (rebooting, back in 10 s)');
  assert.equal(describeEvent({ type: 'reported', rebootTime: '2026-01-02T03:04:05.006Z' }), 'reported rebootTime=2026-01-02T03:04:05.006Z');
  assert.match(
    describeEvent({ type: 'problem', problem: { code: 'HUB_UNREACHABLE', message: 'down' }, retryInSeconds: 4 }),
    /^error HUB_UNREACHABLE: down \(retrying in 4 s\)$/,
  );
});

test('quiet mode prints problems and summaries but no per-device lines', () => {
  const out: string[] = [];
  const err: string[] = [];
  const output = new SimulatorOutput({ quiet: true, write: (l) => out.push(l), writeError: (l) => err.push(l) });
  output.device('d1', { type: 'connected' });
  output.device('d1', { type: 'reboot-requested', methodName: 'rebootDevice' });
  output.device('d1', { type: 'problem', problem: { code: 'UNKNOWN', message: 'x' } });
  assert.deepEqual(out, []);
  assert.equal(err.length, 1);
  output.summary({ total: 2, online: 1, rebooting: 1 });
  assert.equal(out.length, 1);
  assert.match(out[0] ?? '', /simulator online 1\/2, rebooting 1; since last summary: 1 reboot requests, 0 answers, 0 connection losses, 1 errors/);
  output.summary({ total: 2, online: 1, rebooting: 1 });
  output.summary({ total: 2, online: 1, rebooting: 1 });
  assert.equal(out.length, 2, 'an unchanged summary is printed once');
});

test('forEachLimited keeps at most `limit` items in flight and stops taking items after a failure', async () => {
  let inFlight = 0;
  let most = 0;
  const seen: number[] = [];
  await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    inFlight++;
    most = Math.max(most, inFlight);
    seen.push(n);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
  });
  assert.equal(most, 3);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);

  const started: number[] = [];
  await assert.rejects(
    forEachLimited([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('no');
    }),
    /no/,
  );
  assert.deepEqual(started, [1, 2]);
});
