import { describe, expect, test } from '@jest/globals';
import { AUTOSCALER_TAINT, decidePrestop, findSpeakerPid, type NodeRead } from './decide.js';

describe('decidePrestop', () => {
  const cases: Array<[string, NodeRead, 'graceful-restart' | 'withdraw', RegExp]> = [
    ['a plain schedulable node', { node: { metadata: { name: 'n1' }, spec: {} } }, 'graceful-restart', /stays/],
    ['unschedulable: false', { node: { metadata: { name: 'n1' }, spec: { unschedulable: false } } }, 'graceful-restart', /stays/],
    ['other taints only', { node: { metadata: {}, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } } }, 'graceful-restart', /stays/],
    ['no spec at all', { node: { metadata: { name: 'n1' } } }, 'graceful-restart', /stays/],
    ['cordoned', { node: { metadata: {}, spec: { unschedulable: true } } }, 'withdraw', /cordoned/],
    ['being deleted', { node: { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: {} } }, 'withdraw', /deleted/],
    ['autoscaler taint', { node: { metadata: {}, spec: { taints: [{ key: AUTOSCALER_TAINT, value: '1700000000', effect: 'NoSchedule' }] } } }, 'withdraw', /autoscaler/],
    ['deleted and cordoned: deletion named first', { node: { metadata: { deletionTimestamp: 'x' }, spec: { unschedulable: true } } }, 'withdraw', /deleted/],
    ['the Node could not be read', { error: 'HTTP 403' }, 'withdraw', /could not be read \(HTTP 403\)/],
    ['not an object', { node: 'nope' }, 'withdraw', /not an object/],
    ['null', { node: null }, 'withdraw', /not an object/],
  ];
  test.each(cases)('%s', (_name, read, action, reason) => {
    const d = decidePrestop(read);
    expect(d.action).toBe(action);
    expect(d.reason).toMatch(reason);
  });
});

describe('findSpeakerPid', () => {
  test.each([
    ['PID 1 is the speaker', [{ pid: 1, argv: ['/usr/bin/node', '/usr/local/bin/headland-speaker', '--namespace', 'x'] }, { pid: 40, argv: ['/usr/bin/node', '/usr/local/bin/headland-speaker', 'prestop'] }], 40, 1],
    ['the dist path', [{ pid: 7, argv: ['node', '/opt/headland/speaker/dist/main.js'] }], 9, 7],
    ['skips itself and other prestops', [{ pid: 9, argv: ['node', 'headland-speaker'] }, { pid: 3, argv: ['node', 'headland-speaker', 'prestop'] }], 9, undefined],
    ['an init first', [{ pid: 1, argv: ['/sbin/tini', '--'] }, { pid: 12, argv: ['node', '/usr/local/bin/headland-speaker'] }], 30, 12],
    ['none', [{ pid: 1, argv: ['sleep', 'inf'] }], 2, undefined],
  ] as const)('%s', (_n, procs, self, want) => {
    expect(findSpeakerPid(procs, self)).toBe(want);
  });
});
