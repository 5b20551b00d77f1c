import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeviceId, isValidDeviceId } from '../../lib/local-hub/device-id';

test("device ids allow ASCII letters, digits and - . % _ * ? ! ( ) , : = @ $ ' up to 128 characters", () => {
  assert.equal(checkDeviceId("a-.%_*?!(),:=@$'Z9"), null);
  assert.equal(isValidDeviceId('x'.repeat(128)), true);
});

test('device ids that are empty, too long or use other characters are a 400 naming the problem', () => {
  assert.match(checkDeviceId('')?.message ?? '', /missing/);
  assert.match(checkDeviceId('x'.repeat(129))?.message ?? '', /129 characters/);
  assert.match(checkDeviceId('a/b')?.message ?? '', /contains "\/"/);
  assert.match(checkDeviceId('a b')?.message ?? '', /contains " "/);
  assert.match(checkDeviceId('é')?.message ?? '', /contains "é"/);
  assert.equal(checkDeviceId('a#')?.status, 400);
});
