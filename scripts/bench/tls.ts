/** Throwaway TLS material for the baselines: a CA and a server certificate for 127.0.0.1, made with selfsigned. */
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  ca: string;
  key: string;
  cert: string;
}

export async function makeTlsMaterial(): Promise<TlsMaterial> {
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'twinboard bench CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  return { ca: ca.cert, key: server.private, cert: server.cert };
}
