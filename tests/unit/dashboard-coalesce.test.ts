import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalesce } from '../../lib/dashboard/coalesce';

test('concurrent callers share one load, and a young result is served from memory', async () => {
  let loads = 0;
  let release!: (value: number) => void;
  const clock = { ms: 0 };
  const loader = coalesce(
    () => {
      loads += 1;
      return new Promise<number>((resolve) => (release = resolve));
    },
    () => 1000,
    () => clock.ms,
  );
  const callers = Array.from({ length: 20 }, () => loader.get());
  release(42);
  const results = await Promise.all(callers);
  assert.equal(loads, 1);
  assert.ok(results.every((r) => r.value === 42));
  clock.ms = 999;
  assert.equal((await loader.get()).value, 42);
  assert.equal(loads, 1);
  clock.ms = 1000;
  const next = loader.get();
  release(43);
  assert.equal((await next).value, 43);
  assert.equal(loads, 2);
});

test('an error is shared and kept as briefly as a result', async () => {
  let loads = 0;
  const clock = { ms: 0 };
  const loader = coalesce(
    async () => {
      loads += 1;
      throw new Error(`down ${loads}`);
    },
    () => 500,
    () => clock.ms,
  );
  await Promise.all([assert.rejects(loader.get(), /down 1/), assert.rejects(loader.get(), /down 1/)]);
  await assert.rejects(loader.get(), /down 1/);
  assert.equal(loads, 1);
  clock.ms = 600;
  await assert.rejects(loader.get(), /down 2/);
  loader.clear();
  await assert.rejects(loader.get(), /down 3/);
});
