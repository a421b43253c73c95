// Test fixtures for the BGP mode: a Config from BGPPeer objects through the real buildConfig
// (Secrets included), so peer planning is tested on what the API layer really produces.
import { buildConfig, snapshotFromObjects, type Config } from '@headland/api';

export interface PeerObject {
  name: string;
  spec: Record<string, unknown>;
}

export const peer = (name: string, spec: Record<string, unknown>): PeerObject => ({ name, spec });

export function configOf(peers: readonly PeerObject[], extra: readonly unknown[] = []): Config {
  const objects = [
    ...peers.map((p) => ({ apiVersion: 'headland.io/v1beta1', kind: 'BGPPeer', metadata: { name: p.name, namespace: 'headland-system' }, spec: p.spec })),
    ...extra,
  ];
  const { snapshot, problems } = snapshotFromObjects(objects);
  if (problems.length > 0) throw new Error(`fixtures: ${problems.map((p) => p.message).join('; ')}`);
  return buildConfig(snapshot);
}

export const secret = (name: string, password: string): unknown => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'headland-system' },
  data: { password: Buffer.from(password).toString('base64') },
});
