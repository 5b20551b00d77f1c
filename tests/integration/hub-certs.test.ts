/** Certificates: made once in the data dir, reused, and the server certificate remade only when it no longer fits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { CERT_FILES, ensureCertificates } from '../../lib/local-hub/certs';
import { startTestHub } from '../helpers/local-hub';

function tempDir(t: { after(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'twinboard-certs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('first start makes a CA and a server certificate covering the host, localhost and 127.0.0.1', async (t) => {
  const dir = tempDir(t);
  const certs = await ensureCertificates(dir, 'iothub.local');
  const server = new X509Certificate(certs.cert);
  const ca = new X509Certificate(certs.caPem);
  assert.equal(ca.ca, true);
  assert.equal(server.ca, false);
  assert.ok(server.verify(ca.publicKey));
  assert.equal(server.subjectAltName, 'DNS:iothub.local, DNS:localhost, IP Address:127.0.0.1');
  assert.equal(certs.caFile, join(dir, CERT_FILES.ca));
  assert.equal(readFileSync(certs.caFile, 'utf8'), certs.caPem);
  assert.equal(statSync(join(dir, CERT_FILES.caKey)).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, CERT_FILES.serverKey)).mode & 0o777, 0o600);
});

test('later starts reuse both; a new host name remakes only the server certificate', async (t) => {
  const dir = tempDir(t);
  const first = await ensureCertificates(dir, 'localhost');
  const again = await ensureCertificates(dir, 'LOCALHOST');
  assert.deepEqual(again, first);
  const moved = await ensureCertificates(dir, '127.0.0.2');
  assert.equal(moved.caPem, first.caPem);
  assert.notEqual(moved.cert, first.cert);
  assert.match(new X509Certificate(moved.cert).subjectAltName ?? '', /IP Address:127\.0\.0\.2/);
});

test('a damaged server certificate or a key that does not match it is remade', async (t) => {
  const dir = tempDir(t);
  const first = await ensureCertificates(dir, 'localhost');
  writeFileSync(join(dir, CERT_FILES.server), 'not a certificate');
  const repaired = await ensureCertificates(dir, 'localhost');
  assert.equal(repaired.caPem, first.caPem);
  assert.ok(new X509Certificate(repaired.cert).verify(new X509Certificate(first.caPem).publicKey));
  writeFileSync(join(dir, CERT_FILES.serverKey), first.key);
  const rekeyed = await ensureCertificates(dir, 'localhost');
  assert.ok(new X509Certificate(rekeyed.cert).checkPrivateKey((await import('node:crypto')).createPrivateKey(rekeyed.key)));
});

test('a restarted hub serves the same CA, and TLS verifies for the host name', async (t) => {
  const dir = tempDir(t);
  const first = await startTestHub(t, { dataDir: dir, hostName: 'localhost', listen: '127.0.0.1' });
  const ca = first.caPem;
  await first.close();
  const second = await startTestHub(t, { dataDir: dir, hostName: 'localhost', listen: '127.0.0.1' });
  assert.equal(second.caPem, ca);
  for (const port of [second.httpsPort, second.mqttPort]) {
    const authorized = await new Promise<boolean>((done, fail) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => {
        done(socket.authorized);
        socket.destroy();
      });
      socket.on('error', fail);
    });
    assert.equal(authorized, true);
  }
});

test('two hubs\' CAs trusted side by side each verify their own hub (every CA has a name of its own)', async (t) => {
  const a = await ensureCertificates(tempDir(t), 'localhost');
  const b = await ensureCertificates(tempDir(t), 'localhost');
  assert.notEqual(new X509Certificate(a.caPem).subject, new X509Certificate(b.caPem).subject);
  const hub = await startTestHub(t, { dataDir: tempDir(t) });
  const authorized = await new Promise<boolean>((resolve, reject) => {
    // The hub's own CA last: with equal names the first one would be tried and verification would fail.
    const socket = connect({ host: '127.0.0.1', port: hub.httpsPort, ca: [a.caPem, b.caPem, hub.caPem] }, () => {
      resolve(socket.authorized);
      socket.end();
    });
    socket.once('error', reject);
  });
  assert.equal(authorized, true);
});
