import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecurity } from './security.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'security-test-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const sa = { namespace: 'headland-system', name: 'headland-speaker', uid: 'u-1' };
const lookup = (kind: string, ns: string, name: string) => (kind === 'ServiceAccount' && ns === sa.namespace && name === sa.name ? { uid: sa.uid } : undefined);

test('without a cert dir every start has a new CA, admin token and token key', async () => {
  const a = await createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC' });
  const b = await createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC' });
  expect(a.ca.certPem).not.toBe(b.ca.certPem);
  expect(a.adminToken).not.toBe(b.adminToken);
  const { token } = await a.serviceAccounts.issue(sa);
  expect((await b.serviceAccounts.verify(token, lookup)).ok).toBe(false);
});

test('with a cert dir a restarted server keeps its CA, admin token and ServiceAccount tokens', async () => {
  const a = await createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC', certDir: join(dir, 'pki') });
  const { token } = await a.serviceAccounts.issue(sa);
  const b = await createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC', certDir: join(dir, 'pki') });
  expect(b.ca.certPem).toBe(a.ca.certPem);
  expect(b.adminToken).toBe(a.adminToken);
  expect(b.staticTokens.lookup(a.adminToken)?.name).toBe('headland-admin');
  expect(await b.serviceAccounts.verify(token, lookup)).toEqual(expect.objectContaining({ ok: true }));
  // The kept CA still signs serving certificates.
  expect(b.serving?.cert).toMatch(/BEGIN CERTIFICATE/);
});

test('a cert dir holding only part of an identity is refused, naming the files', async () => {
  await createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC', certDir: dir });
  await unlink(join(dir, 'sa.key'));
  await expect(createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC', certDir: dir })).rejects.toThrow(/holds only part of a server identity \(ca\.crt, ca\.key, sa\.key, admin-token\)/);
});

test('a garbled CA key is refused with the reason', async () => {
  await createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC', certDir: dir });
  await writeFile(join(dir, 'ca.key'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  await expect(createSecurity({ listenHost: '127.0.0.1', authorization: 'RBAC', certDir: dir })).rejects.toThrow(/pki: the CA key is not a PKCS#8 P-256 key/);
});

test('plain HTTP has no serving pair but still a CA and tokens', async () => {
  const s = await createSecurity({ listenHost: '127.0.0.1', authorization: 'AlwaysAllow', plainHttp: true });
  expect(s.serving).toBeUndefined();
  expect(s.ca.certPem).toMatch(/BEGIN CERTIFICATE/);
});
