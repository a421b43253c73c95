import { execFileSync } from 'node:child_process';
import { decodeK8sProtobuf } from './envelope.js';
import { fixtureKubectlVersion, KUBECTL_CASES, readFixture, writeFixtures } from './kubectl-cases.js';
import { recordKubectl } from './kubectl-recorder.js';

// Live: runs the kubectl on PATH (or $KUBECTL) against a recording proxy. Skipped where there is no kubectl;
// HEADLAND_RECORD_PROTOBUF_FIXTURES=1 rewrites testdata/kubectl/ from what it records.
const kubectl = process.env['KUBECTL'] ?? 'kubectl';

function kubectlVersion(): string | undefined {
  try {
    const out = JSON.parse(execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { clientVersion?: { gitVersion?: string } };
    return out.clientVersion?.gitVersion;
  } catch {
    return undefined;
  }
}

const version = kubectlVersion();
const live = version === undefined ? test.skip : test;

live('records every case, and the recording matches the fixtures made with this kubectl version', async () => {
  const recorded = await recordKubectl(KUBECTL_CASES, kubectl);
  if (process.env['HEADLAND_RECORD_PROTOBUF_FIXTURES'] === '1') await writeFixtures(recorded, version ?? '');
  expect(recorded.map((r) => [r.name, r.bodies.length])).toEqual(KUBECTL_CASES.map((c) => [c.name, 1]));
  for (const r of recorded) {
    const [body] = r.bodies;
    if (body === undefined) throw new Error(`${r.name}: no body`);
    // Whatever kubectl's version, its protobuf and its JSON must say the same thing (a by-hand case has only the fixture's).
    expect([r.name, decodeK8sProtobuf(body).object]).toEqual([r.name, r.json ?? readFixture(r.name).json]);
    if (fixtureKubectlVersion() === version) {
      const fixture = readFixture(r.name);
      expect([r.name, body.toString('hex')]).toEqual([r.name, fixture.body.toString('hex')]);
      expect([r.name, r.json ?? fixture.json]).toEqual([r.name, fixture.json]);
    }
  }
}, 120_000);
