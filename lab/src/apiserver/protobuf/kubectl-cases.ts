// The kubectl commands whose protobuf bodies are kept as fixtures under testdata/kubectl/ (kubectl run and expose
// send JSON, so have none), and reading/writing them: body as hex, kubectl's JSON beside it (by hand for auth can-i).

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import type { JsonObject } from '../json.js';
import type { KubectlCase, KubectlJson, Recorded } from './kubectl-recorder.js';

const FIXTURE_DIR = new URL('./testdata/kubectl/', import.meta.url);

/** kubectl create token refuses an answer without a token: the echo gains status.token (field 3, then 1) = "recorded". */
const TOKEN_ECHO: KubectlJson = { echo: { appendHex: `1a0a0a08${Buffer.from('recorded').toString('hex')}`, reset: [{ path: ['status', 'token'], value: '' }] } };

export const KUBECTL_CASES: readonly KubectlCase[] = [
  { name: 'namespace', args: ['create', 'namespace', 'demo'] },
  { name: 'secret-generic', args: ['create', 'secret', 'generic', 's', '--from-literal=k=v', '-n', 'default'] },
  { name: 'configmap', args: ['create', 'configmap', 'c', '--from-literal=a=b'] },
  { name: 'service-loadbalancer', args: ['create', 'service', 'loadbalancer', 'web', '--tcp=80:8080'] },
  { name: 'deployment', args: ['create', 'deployment', 'd', '--image=nginx', '--port=80'] },
  { name: 'deployment-replicas', args: ['create', 'deployment', 'echo', '--image=registry.k8s.io/echoserver:1.10', '--replicas=3', '--port=8080', '-n', 'kube-system'] },
  { name: 'secret-docker-registry', args: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p@ss', '--docker-email=u@example.com'] },
  { name: 'configmap-multi', args: ['create', 'configmap', 'greetings', '--from-literal=hello=héllo wörld', '--from-literal=empty=', '--from-literal=emoji=🙂'] },
  { name: 'service-nodeport', args: ['create', 'service', 'nodeport', 'np', '--tcp=5678:8080', '--node-port=30080'] },
  { name: 'service-clusterip-headless', args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None', '--tcp=53:5353'] },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'sa1'] },
  { name: 'role', args: ['create', 'role', 'r', '--verb=get', '--resource=pods'] },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'rb', '--role=r', '--serviceaccount=default:sa1'] },
  { name: 'clusterrole', args: ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'] },
  { name: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=g'] },
  { name: 'token', args: ['create', 'token', 'default', '-n', 'default'], json: TOKEN_ECHO },
  { name: 'token-duration-audience', args: ['create', 'token', 'default', '-n', 'default', '--duration=20m', '--audience=a'], json: TOKEN_ECHO },
  { name: 'whoami', args: ['auth', 'whoami'], json: { echo: { appendHex: '', reset: [] } } },
  { name: 'can-i-patch-services-status', args: ['auth', 'can-i', 'patch', 'services/status', '-n', 'x'], json: 'by-hand' },
  { name: 'can-i-healthz', args: ['auth', 'can-i', 'get', '/healthz'], json: 'by-hand' },
  { name: 'can-i-list', args: ['auth', 'can-i', '--list', '-n', 'default'], json: 'by-hand' },
];

export interface Fixture {
  /** The one protobuf body kubectl sent. */
  body: Buffer;
  /** kubectl's `--dry-run=client -o json` for the same command. */
  json: JsonObject;
}

export function readFixture(name: string): Fixture {
  const hex = readFileSync(new URL(`${name}.pb.hex`, FIXTURE_DIR), 'utf8').trim();
  const json = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURE_DIR), 'utf8')) as JsonObject;
  return { body: Buffer.from(hex, 'hex'), json };
}

/** The `kubectl version --client` gitVersion the fixtures were recorded with. */
export function fixtureKubectlVersion(): string {
  return readFileSync(new URL('KUBECTL_VERSION', FIXTURE_DIR), 'utf8').trim();
}

export async function writeFixtures(recorded: readonly Recorded[], kubectlVersion: string): Promise<void> {
  await mkdir(FIXTURE_DIR, { recursive: true });
  for (const r of recorded) {
    const [body] = r.bodies;
    if (body === undefined || r.bodies.length !== 1) throw new Error(`kubectl-cases: ${r.name} sent ${r.bodies.length} bodies, fixtures hold exactly one`);
    await writeFile(new URL(`${r.name}.pb.hex`, FIXTURE_DIR), `${body.toString('hex')}\n`);
    // A `by-hand` case has no JSON from kubectl: its file is written by hand and kept.
    if (r.json !== undefined) await writeFile(new URL(`${r.name}.json`, FIXTURE_DIR), `${JSON.stringify(r.json, null, 2)}\n`);
  }
  await writeFile(new URL('KUBECTL_VERSION', FIXTURE_DIR), `${kubectlVersion}\n`);
}
