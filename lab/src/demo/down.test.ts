import { stopGroups } from './down.js';
import type { PidRecord } from './procs.js';

const rec = (name: string): PidRecord => ({ name, pid: 100, argv: ['node'] });

test('stop order: speakers first (they withdraw), then pods and kube-proxies, the controller, the API server last', () => {
  const g = stopGroups(['apiserver', 'controller', 'echo-web-1', 'kubeproxy-node1', 'speaker-node1', 'speaker-node2'].map(rec));
  expect(g.speakers.map((r) => r.name)).toEqual(['speaker-node1', 'speaker-node2']);
  expect(g.workloads.map((r) => r.name)).toEqual(['echo-web-1', 'kubeproxy-node1']);
  expect(g.control.map((r) => r.name)).toEqual(['controller', 'apiserver']);
});

test('nothing recorded: nothing to stop', () => {
  expect(stopGroups([])).toEqual({ speakers: [], workloads: [], control: [] });
});
