import type { Json, JsonObject } from '../json.js';
import { podPrinter } from './pod-printer.js';
import type { Cell, RowCondition } from './printer.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');

const running = { running: { startedAt: ago(60) } };
const waiting = (reason: string): JsonObject => ({ waiting: { reason } });
const terminated = (t: JsonObject): JsonObject => ({ terminated: t });
const cs = (name: string, state: JsonObject, extra: JsonObject = {}): JsonObject => ({ name, state, ready: false, restartCount: 0, ...extra });

function pod(spec: JsonObject, status: JsonObject, metadata: JsonObject = {}): JsonObject {
  return { metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(3 * 60 + 2), ...metadata }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec }, status };
}

const initSpec = { initContainers: [{ name: 'setup' }, { name: 'migrate' }] };
const sidecarSpec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };

test('columns', () => {
  expect(podPrinter.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
    ['Name', 'string', 0],
    ['Ready', 'string', 0],
    ['Status', 'string', 0],
    ['Restarts', 'string', 0],
    ['Age', 'string', 0],
    ['IP', 'string', 1],
    ['Node', 'string', 1],
    ['Nominated Node', 'string', 1],
    ['Readiness Gates', 'string', 1],
  ]);
});

// READY, STATUS, RESTARTS for each pod; NAME and AGE are the same throughout.
test.each<[string, JsonObject, [string, string, string]]>([
  ['running and ready', pod({}, { phase: 'Running', containerStatuses: [cs('app', running, { ready: true })] }), ['1/1', 'Running', '0']],
  ['just created', pod({}, { phase: 'Pending' }), ['0/1', 'Pending', '0']],
  ['pulling its image', pod({}, { phase: 'Pending', containerStatuses: [cs('app', waiting('ContainerCreating'))] }), ['0/1', 'ContainerCreating', '0']],
  [
    'crash looping, with the last restart two minutes ago',
    pod({}, { phase: 'Running', containerStatuses: [cs('app', waiting('CrashLoopBackOff'), { restartCount: 5, lastState: terminated({ exitCode: 1, reason: 'Error', finishedAt: ago(125) }) })] }),
    ['0/1', 'CrashLoopBackOff', '5 (2m5s ago)'],
  ],
  ['restarted without a recorded end', pod({}, { phase: 'Running', containerStatuses: [cs('app', running, { ready: true, restartCount: 2 })] }), ['1/1', 'Running', '2']],
  ['completed', pod({}, { phase: 'Succeeded', containerStatuses: [cs('app', terminated({ exitCode: 0, reason: 'Completed' }))] }), ['0/1', 'Completed', '0']],
  ['killed by a signal', pod({}, { phase: 'Failed', containerStatuses: [cs('app', terminated({ exitCode: 137, signal: 9 }))] }), ['0/1', 'Signal:9', '0']],
  ['exited without a reason', pod({}, { phase: 'Failed', containerStatuses: [cs('app', terminated({ exitCode: 2 }))] }), ['0/1', 'ExitCode:2', '0']],
  ['evicted', pod({}, { phase: 'Failed', reason: 'Evicted' }), ['0/1', 'Evicted', '0']],
  [
    'the first container decides the status',
    pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: [cs('a', waiting('ImagePullBackOff')), cs('b', running, { ready: true })] }),
    ['1/2', 'ImagePullBackOff', '0'],
  ],
  [
    'completed but a container still runs, pod ready',
    pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [cs('a', terminated({ exitCode: 0, reason: 'Completed' })), cs('b', running, { ready: true })] }),
    ['1/2', 'Running', '0'],
  ],
  [
    'completed but a container still runs, pod not ready',
    pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: [cs('a', terminated({ exitCode: 0, reason: 'Completed' })), cs('b', running, { ready: true })] }),
    ['1/2', 'NotReady', '0'],
  ],
  ['first init container running', pod(initSpec, { phase: 'Pending', initContainerStatuses: [cs('setup', running), cs('migrate', waiting('PodInitializing'))] }), ['0/1', 'Init:0/2', '0']],
  [
    'second init container crash looping',
    pod(initSpec, { phase: 'Pending', initContainerStatuses: [cs('setup', terminated({ exitCode: 0 })), cs('migrate', waiting('CrashLoopBackOff'), { restartCount: 3 })] }),
    ['0/1', 'Init:CrashLoopBackOff', '3'],
  ],
  ['init container failed', pod(initSpec, { phase: 'Pending', initContainerStatuses: [cs('setup', terminated({ exitCode: 1, reason: 'Error' }))] }), ['0/1', 'Init:Error', '0']],
  ['init container killed', pod(initSpec, { phase: 'Pending', initContainerStatuses: [cs('setup', terminated({ exitCode: 137, signal: 9 }))] }), ['0/1', 'Init:Signal:9', '0']],
  ['init container exit code', pod(initSpec, { phase: 'Pending', initContainerStatuses: [cs('setup', terminated({ exitCode: 3 }))] }), ['0/1', 'Init:ExitCode:3', '0']],
  [
    'a sidecar counts as a container',
    pod(sidecarSpec, { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [cs('proxy', running, { ready: true, started: true, restartCount: 1 })], containerStatuses: [cs('app', running, { ready: true })] }),
    ['2/2', 'Running', '1'],
  ],
  ['deleting', pod({}, { phase: 'Running', containerStatuses: [cs('app', running, { ready: true })] }, { deletionTimestamp: ago(1) }), ['1/1', 'Terminating', '0']],
  ['deleting a finished pod', pod({}, { phase: 'Succeeded', containerStatuses: [cs('app', terminated({ exitCode: 0, reason: 'Completed' }))] }, { deletionTimestamp: ago(1) }), ['0/1', 'Completed', '0']],
  ['on a lost node', pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(1) }), ['0/1', 'Unknown', '0']],
  ['gated', pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['0/1', 'SchedulingGated', '0']],
])('%s', (_, obj, [ready, status, restarts]) => {
  expect(podPrinter.print(obj, now).cells.slice(0, 5)).toEqual(['p', ready, status, restarts, '3m2s']);
});

test.each<[string, JsonObject, Cell[]]>([
  ['not scheduled', pod({}, { phase: 'Pending' }), ['<none>', '<none>', '<none>', '<none>']],
  [
    'scheduled, dual-stack, with readiness gates',
    pod({ nodeName: 'w-1', readinessGates: [{ conditionType: 'headland.io/announced' }, { conditionType: 'example.com/warm' }] }, { phase: 'Running', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00::5' }], conditions: [{ type: 'headland.io/announced', status: 'True' }] }),
    ['10.1.0.5', 'w-1', '<none>', '1/2'],
  ],
  ['podIPs only, nominated', pod({}, { phase: 'Pending', podIPs: [{ ip: 'fd00::6' }], nominatedNodeName: 'w-2' }), ['fd00::6', '<none>', 'w-2', '<none>']],
])('wide columns: %s', (_, obj, cells) => {
  expect(podPrinter.print(obj, now).cells.slice(5)).toEqual(cells);
});

test.each<[string, Json, RowCondition[] | undefined]>([
  ['Succeeded', 'Succeeded', [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]],
  ['Failed', 'Failed', [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]],
  ['Running', 'Running', undefined],
])('a %s pod row has conditions %j', (_, phase, conditions) => {
  expect(podPrinter.print(pod({}, { phase }), now).conditions).toEqual(conditions);
});
