import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyFileName } from '../../lib/history/file-name';

test('each hub has its own readable history file: Azure by host name, a local hub by host name and HTTPS port', () => {
  assert.equal(historyFileName({ kind: 'azure', hostName: 'MyHub.azure-devices.net', endpoint: {} }), 'history-azure-myhub.azure-devices.net.sqlite');
  assert.equal(historyFileName({ kind: 'local', hostName: 'localhost', endpoint: { httpsPort: 8443 } }), 'history-local-localhost-8443.sqlite');
  assert.notEqual(
    historyFileName({ kind: 'local', hostName: 'localhost', endpoint: { httpsPort: 8443 } }),
    historyFileName({ kind: 'local', hostName: 'localhost', endpoint: { httpsPort: 9443 } }),
  );
  assert.notEqual(
    historyFileName({ kind: 'local', hostName: 'localhost', endpoint: {} }),
    historyFileName({ kind: 'azure', hostName: 'localhost', endpoint: {} }),
  );
});

test('history file names stay plain, short file names whatever the host name', () => {
  for (const hostName of ['../../etc', 'a/b\\c', 'x'.repeat(253), `${'a'.repeat(200)}.azure-devices.net`, '..']) {
    const name = historyFileName({ kind: 'azure', hostName, endpoint: {} });
    assert.match(name, /^history-[a-z0-9._-]+\.sqlite$/, name);
    assert.ok(!name.includes('/') && !name.includes('\\'), name);
    assert.ok(name.length <= 140, `${name.length} characters`);
  }
  const long = (end: string) => historyFileName({ kind: 'azure', hostName: `${'a'.repeat(200)}${end}`, endpoint: {} });
  assert.notEqual(long('.one.net'), long('.two.net'), 'cut names stay apart');
});
