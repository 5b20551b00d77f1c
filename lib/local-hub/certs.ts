/**
 * TLS material for the local hub, kept in the data dir: a local CA (ca.pem, ca-key.pem) that clients trust,
 * and a server certificate (server.pem, server-key.pem) it signs. The SDKs verify the server certificate
 * with no way to turn that off, against the SANs for the host they dial (wire §1.1, §2.1), so the SANs cover
 * the served host name plus localhost and 127.0.0.1. Both are made on first start and reused; the server
 * certificate alone is remade when it no longer covers the host name, was not signed by the kept CA, or is
 * about to expire.
 */
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';

export interface HubCertificates {
  /** Absolute path of the CA certificate clients should trust. */
  caFile: string;
  caPem: string;
  /** Server certificate and key (PEM) for both listeners. */
  cert: string;
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_DAYS = 3650;
const SERVER_LIFETIME_DAYS = 825;
const RENEW_BEFORE_DAYS = 30;

export const CERT_FILES = { ca: 'ca.pem', caKey: 'ca-key.pem', server: 'server.pem', serverKey: 'server-key.pem' } as const;

/** Writes through a temporary file and a rename, so a crash never leaves half a PEM behind. */
function writeAtomic(file: string, data: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The names a server certificate must cover: the host name, localhost and 127.0.0.1 (plus any extras). */
export function requiredNames(hostName: string, extra: readonly string[] = []): string[] {
  return [...new Set([hostName, 'localhost', '127.0.0.1', ...extra].map((n) => n.toLowerCase()))];
}

function covers(cert: X509Certificate, name: string): boolean {
  return isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name, { subject: 'never' }) !== undefined;
}

function stillValid(cert: X509Certificate, marginDays: number): boolean {
  return new Date(cert.validTo).getTime() - Date.now() > marginDays * DAY_MS;
}

/** True when `certPem` goes with `keyPem`, is signed by `caPem`, is valid for a while and covers every name. */
export function serverCertFits(certPem: string, keyPem: string, caPem: string, names: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    return (
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      cert.verify(ca.publicKey) &&
      stillValid(cert, RENEW_BEFORE_DAYS) &&
      names.every((n) => covers(cert, n))
    );
  } catch {
    return false;
  }
}

async function createCa(): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  // A name of its own per CA: TLS picks the issuer by name, so two hubs' CAs trusted side by side (or an old
  // ca.pem next to a new one) must not share one, or the wrong one is tried and verification fails.
  const name = `twinboard local hub CA ${randomBytes(4).toString('hex')}`;
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + CA_LIFETIME_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function createServerCert(ca: { cert: string; key: string }, names: readonly string[]): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + SERVER_LIFETIME_DAYS * DAY_MS),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Loads the CA and server certificate from `dataDir`, creating or renewing what is missing or unfit. */
export async function ensureCertificates(dataDir: string, hostName: string, extraNames: readonly string[] = []): Promise<HubCertificates> {
  const file = (name: keyof typeof CERT_FILES) => resolve(join(dataDir, CERT_FILES[name]));
  const names = requiredNames(hostName, extraNames);

  let caCert = readIfExists(file('ca'));
  let caKey = readIfExists(file('caKey'));
  let caUsable = false;
  if (caCert && caKey) {
    try {
      const ca = new X509Certificate(caCert);
      caUsable = ca.checkPrivateKey(createPrivateKey(caKey)) && stillValid(ca, RENEW_BEFORE_DAYS);
    } catch {
      caUsable = false;
    }
  }
  if (!caCert || !caKey || !caUsable) {
    const ca = await createCa();
    caCert = ca.cert;
    caKey = ca.key;
    writeAtomic(file('caKey'), caKey, 0o600);
    writeAtomic(file('ca'), caCert, 0o644);
  }

  let cert = readIfExists(file('server'));
  let key = readIfExists(file('serverKey'));
  if (!cert || !key || !serverCertFits(cert, key, caCert, names)) {
    const server = await createServerCert({ cert: caCert, key: caKey }, names);
    cert = server.cert;
    key = server.key;
    writeAtomic(file('serverKey'), key, 0o600);
    writeAtomic(file('server'), cert, 0o644);
  }
  return { caFile: file('ca'), caPem: caCert, cert, key };
}
