/**
 * The CA list a simulated device passes to the SDK. Passing `ca` replaces Node's trust store for that connection
 * and makes Node ignore NODE_EXTRA_CA_CERTS (wire §1.1), so the list re-adds what the user already trusts.
 */
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';

export type TrustError = { code: 'CA_FILE_UNREADABLE'; message: string };

async function readPem(path: string, what: string): Promise<string | TrustError> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { code: 'CA_FILE_UNREADABLE', message: `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    return { code: 'CA_FILE_UNREADABLE', message: `${what} ${path} holds no PEM certificate` };
  }
  return text;
}

/**
 * PEM text for the SDK's `ca` option, or undefined when no extra CA is asked for (Node's defaults and
 * NODE_EXTRA_CA_CERTS then apply by themselves). `publicRoots` keeps the public CAs, for a hub that may be Azure.
 */
export async function trustedCas(
  caFiles: ReadonlyArray<{ path: string; what: string }>,
  publicRoots: boolean,
): Promise<string | undefined | TrustError> {
  if (caFiles.length === 0) return undefined;
  const pems: string[] = [];
  for (const { path, what } of caFiles) {
    const pem = await readPem(path, what);
    if (typeof pem !== 'string') return pem;
    pems.push(pem);
  }
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    const pem = await readPem(extra, 'NODE_EXTRA_CA_CERTS file');
    if (typeof pem === 'string') pems.push(pem);
  }
  if (publicRoots) pems.push(...rootCertificates);
  return pems.map((pem) => pem.trim()).join('\n') + '\n';
}

export function isTrustError(value: string | undefined | TrustError): value is TrustError {
  return typeof value === 'object';
}
