import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { trustedCas } from '../../lib/simulator/trust';

const PEM = (rootCertificates[0] ?? '').trim();

function dir(t: { after(fn: () => unknown): void }): string {
  const path = mkdtempSync(join(tmpdir(), 'twinboard-trust-'));
  t.after(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

test('no CA file keeps Node defaults (undefined)', async () => {
  assert.equal(await trustedCas([], true), undefined);
});

test('CA files are joined with NODE_EXTRA_CA_CERTS, which an explicit ca would otherwise drop', async (t) => {
  const d = dir(t);
  writeFileSync(join(d, 'hub.pem'), `${PEM}\n`);
  writeFileSync(join(d, 'extra.pem'), `${PEM}\n`);
  const saved = process.env.NODE_EXTRA_CA_CERTS;
  t.after(() => {
    if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = saved;
  });
  process.env.NODE_EXTRA_CA_CERTS = join(d, 'extra.pem');
  const local = await trustedCas([{ path: join(d, 'hub.pem'), what: 'hub CA' }], false);
  assert.equal(typeof local, 'string');
  assert.equal((local as string).split('-----BEGIN CERTIFICATE-----').length - 1, 2);
  const withRoots = await trustedCas([{ path: join(d, 'hub.pem'), what: 'hub CA' }], true);
  assert.equal((withRoots as string).split('-----BEGIN CERTIFICATE-----').length - 1, 2 + rootCertificates.length);
});

test('an unreadable or non-PEM CA file is a CA_FILE_UNREADABLE value naming the file', async (t) => {
  const d = dir(t);
  const missing = await trustedCas([{ path: join(d, 'nope.pem'), what: '--ca file' }], false);
  assert.deepEqual(typeof missing === 'object' && missing.code, 'CA_FILE_UNREADABLE');
  assert.match((missing as { message: string }).message, /cannot read --ca file .*nope\.pem: ENOENT/);
  writeFileSync(join(d, 'junk.pem'), 'not a certificate');
  const junk = await trustedCas([{ path: join(d, 'junk.pem'), what: '--ca file' }], false);
  assert.match((junk as { message: string }).message, /holds no PEM certificate/);
});
