import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigYaml } from '../apiserver/kubeconfig.js';
import { kubeconfigAccess } from './apiserver.js';

const dir = mkdtempSync(join(tmpdir(), 'hl-kubeconfig-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test.each<[string, string, object]>([
  ['a plain-HTTP kubeconfig: the server and token, no CA', kubeconfigYaml('http://127.0.0.1:6443', 'tok'), { server: 'http://127.0.0.1:6443', caPem: undefined, token: 'tok' }],
  [
    'a TLS kubeconfig: its CA decoded',
    `clusters: [{name: c, cluster: {server: "https://198.19.255.1:40000", certificate-authority-data: ${Buffer.from('-----BEGIN CERTIFICATE-----\nx\n').toString('base64')}}}]\nusers: [{name: u, user: {token: admin}}]\n`,
    { server: 'https://198.19.255.1:40000', caPem: '-----BEGIN CERTIFICATE-----\nx\n', token: 'admin' },
  ],
])('kubeconfigAccess reads %s', (name, text, want) => {
  expect(kubeconfigAccess(file(`${name.length}.yaml`, text))).toEqual(want);
});

test('kubeconfigAccess names the file that has no server', () => {
  const path = file('empty.yaml', 'users: []\n');
  expect(() => kubeconfigAccess(path)).toThrow(`programs: ${path} names no server`);
});
