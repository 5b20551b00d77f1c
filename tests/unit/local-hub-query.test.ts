import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HubError } from '../../lib/local-hub/errors';
import { compileQuery } from '../../lib/local-hub/query';

const twins = [
  { deviceId: 'a', status: 'enabled', connectionState: 'Connected', tags: { site: 'north', floor: 1 }, properties: { reported: { rebootTime: 'x' } } },
  { deviceId: 'b', status: 'disabled', connectionState: 'Disconnected', tags: { site: 'south', floor: 2 }, properties: { reported: {} } },
  { deviceId: "c'd", status: 'enabled', connectionState: 'Disconnected', tags: {}, properties: { reported: {} } },
];

function run(query: string): string[] {
  const predicate = compileQuery(query);
  assert.ok(!(predicate instanceof HubError), predicate instanceof HubError ? predicate.message : '');
  return twins.filter(predicate).map((t) => t.deviceId);
}

test('SELECT * FROM devices returns every twin', () => {
  assert.deepEqual(run('SELECT * FROM devices'), ['a', 'b', "c'd"]);
  assert.deepEqual(run('select * from devices'), ['a', 'b', "c'd"]);
});

test('WHERE on deviceId, status and connectionState, with AND, OR, NOT and parentheses', () => {
  assert.deepEqual(run("SELECT * FROM devices WHERE deviceId = 'b'"), ['b']);
  assert.deepEqual(run("SELECT * FROM devices WHERE status = 'enabled' AND connectionState = 'Disconnected'"), ["c'd"]);
  assert.deepEqual(run("SELECT * FROM devices WHERE deviceId = 'a' OR (status <> 'enabled')"), ['a', 'b']);
  assert.deepEqual(run("SELECT * FROM devices WHERE NOT connectionState = 'Connected'"), ['b', "c'd"]);
  assert.deepEqual(run("SELECT * FROM devices WHERE deviceId = 'c''d'"), ["c'd"]);
});

test('WHERE on nested paths, numbers and IN / NIN lists', () => {
  assert.deepEqual(run("SELECT * FROM devices WHERE tags.site = 'north'"), ['a']);
  assert.deepEqual(run('SELECT * FROM devices WHERE tags.floor >= 2'), ['b']);
  assert.deepEqual(run("SELECT * FROM devices WHERE deviceId IN ['a', 'b']"), ['a', 'b']);
  assert.deepEqual(run("SELECT * FROM devices WHERE deviceId NIN ['a', 'b']"), ["c'd"]);
  assert.deepEqual(run("SELECT * FROM devices WHERE properties.reported.rebootTime = 'x'"), ['a']);
  assert.deepEqual(run("SELECT * FROM devices WHERE devices.status = 'disabled'"), ['b']);
});

test('unsupported queries are a 400 that says what is not supported', () => {
  const message = (query: unknown) => {
    const result = compileQuery(query);
    assert.ok(result instanceof HubError);
    assert.equal(result.status, 400);
    return result.message;
  };
  assert.match(message('SELECT deviceId FROM devices'), /only SELECT \*/);
  assert.match(message('SELECT * FROM devices.jobs'), /only FROM devices/);
  assert.match(message("SELECT * FROM devices WHERE deviceId = 'a"), /not closed/);
  assert.match(message('SELECT * FROM devices GROUP BY status'), /GROUP BY/);
  assert.match(message('SELECT * FROM devices WHERE'), /property name/);
  assert.match(message(''), /SELECT \* FROM devices/);
  assert.match(message(42), /SELECT \* FROM devices/);
});
