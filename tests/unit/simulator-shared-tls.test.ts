import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { createSharedTlsMqttBase, secureContextFor } from '../../lib/simulator/shared-tls';

const ONE = `${rootCertificates[0] ?? ''}\n`;
const TWO = `${rootCertificates[1] ?? ''}\n`;

test('one CA list gets one secure context, built once; another list gets its own', () => {
  const first = secureContextFor(ONE);
  assert.equal(secureContextFor(ONE), first);
  assert.notEqual(secureContextFor(TWO), first);
});

test('each transport gets its own MqttBase', () => {
  const a = createSharedTlsMqttBase();
  const b = createSharedTlsMqttBase();
  assert.notEqual(a, b);
  assert.equal(typeof (a as { connect?: unknown }).connect, 'function');
});
