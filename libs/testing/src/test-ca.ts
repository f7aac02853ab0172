import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface IssuedCertificate {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (unencrypted). */
  key: string;
  /** Paths of the same, for processes configured by file. */
  certFile: string;
  keyFile: string;
}

export interface IssueOptions {
  /** Subject alternative names: IP literals become `IP:`, anything else `DNS:`. */
  hosts?: string[];
  /** Common name; the first host unless set. */
  commonName?: string;
  /** Already expired (valid until a day before it was made). */
  expired?: boolean;
  /** For a TLS client (extendedKeyUsage clientAuth) rather than a server. */
  client?: boolean;
}

/** A throwaway certificate authority made by openssl (EC P-256, so it takes milliseconds). */
export interface TestCa {
  /** The CA's own certificate (PEM): what a client or server trusts. */
  readonly certificate: string;
  /** Its path: a value for DELIVERY_CA_FILE. */
  readonly certificateFile: string;
  issue(options?: IssueOptions): Promise<IssuedCertificate>;
  dispose(): void;
}

let serial = 0;

/** Makes a CA in a temporary folder; `dispose` removes it. */
export async function createTestCa(name = 'hookstream test CA'): Promise<TestCa> {
  const dir = mkdtempSync(join(tmpdir(), 'hookstream-ca-'));
  const ssl = (args: string[]) => exec('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await ssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${name}`]);
  const certificateFile = join(dir, 'ca.crt');
  return {
    certificate: readFileSync(certificateFile, 'utf8'),
    certificateFile,
    async issue(options: IssueOptions = {}) {
      const id = `leaf${++serial}`;
      const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
      const cn = options.commonName ?? hosts[0] ?? 'client';
      await ssl(['req', ...ec, '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${cn}`]);
      const ext = [
        ...(hosts.length > 0 ? [`subjectAltName=${hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}`] : []),
        `extendedKeyUsage=${options.client ? 'clientAuth' : 'serverAuth'}`,
      ];
      writeFileSync(join(dir, `${id}.ext`), `${ext.join('\n')}\n`);
      // A negative validity makes a certificate that expired the moment it was signed.
      const days = options.expired ? '-1' : '2';
      await ssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Date.now() * 1000 + serial), '-out', `${id}.crt`, '-days', days, '-extfile', `${id}.ext`]);
      const certFile = join(dir, `${id}.crt`);
      const keyFile = join(dir, `${id}.key`);
      return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
