import type { JsonObject } from '../json.js';
import { coreEventPrinter, eventsApiEventPrinter } from './event-printer.js';
import type { Cell } from './printer.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');
/** A MicroTime a fraction over `seconds` ago. */
const micro = (seconds: number): string => ago(seconds + 1).replace('Z', '.123456Z');

test('columns: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE by default', () => {
  expect(coreEventPrinter.columns.map((c) => [c.name, c.priority])).toEqual([
    ['Last Seen', 0],
    ['Type', 0],
    ['Reason', 0],
    ['Object', 0],
    ['Subobject', 1],
    ['Source', 1],
    ['Message', 0],
    ['First Seen', 1],
    ['Count', 1],
    ['Name', 1],
  ]);
  expect(eventsApiEventPrinter.columns).toBe(coreEventPrinter.columns);
});

// Cells: LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN, COUNT, NAME.
test.each<[string, JsonObject, Cell[]]>([
  [
    'a repeated event from the old API',
    {
      metadata: { name: 'web.17c', namespace: 'default' },
      involvedObject: { kind: 'Service', name: 'web', fieldPath: 'spec.ports{http}' },
      reason: 'IPAllocated',
      type: 'Normal',
      message: ' Assigned 203.0.113.7 \n',
      source: { component: 'headland-controller', host: 'cp-1' },
      firstTimestamp: ago(3 * 3600),
      lastTimestamp: ago(65),
      count: 4,
    },
    ['65s', 'Normal', 'IPAllocated', 'service/web', 'spec.ports{http}', 'headland-controller, cp-1', 'Assigned 203.0.113.7', '3h', 4, 'web.17c'],
  ],
  [
    'a new-style event written through core/v1',
    {
      metadata: { name: 'e2', namespace: 'default' },
      involvedObject: { kind: 'Node' },
      reason: 'Announced',
      type: 'Warning',
      message: 'withdrawn',
      eventTime: micro(30),
      reportingComponent: 'headland-speaker',
      reportingInstance: 'speaker-w1',
    },
    ['30s', 'Warning', 'Announced', 'node', '', 'headland-speaker, speaker-w1', 'withdrawn', '30s', 1, 'e2'],
  ],
  [
    'a series',
    { metadata: { name: 'e3' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'BackOff', type: 'Warning', message: 'm', eventTime: micro(600), series: { count: 12, lastObservedTime: micro(10) }, source: { component: 'kubelet' } },
    ['10s', 'Warning', 'BackOff', 'pod/p', '', 'kubelet', 'm', '10m', 12, 'e3'],
  ],
  ['nothing set', { metadata: { name: 'e4' } }, ['<unknown>', '', '', '', '', '', '', '<unknown>', 1, 'e4']],
])('core/v1: %s', (_, ev, cells) => {
  expect(coreEventPrinter.print(ev, now).cells).toEqual(cells);
});

test.each<[string, JsonObject, Cell[]]>([
  [
    'an events.k8s.io event',
    {
      metadata: { name: 'e5', namespace: 'default' },
      regarding: { kind: 'Service', name: 'web' },
      note: 'Announced to 2 peers',
      reason: 'Announced',
      type: 'Normal',
      eventTime: micro(200),
      reportingController: 'headland.io/speaker',
      reportingInstance: 'w-1',
      series: { count: 3, lastObservedTime: micro(20) },
    },
    ['20s', 'Normal', 'Announced', 'service/web', '', 'headland.io/speaker, w-1', 'Announced to 2 peers', '3m20s', 3, 'e5'],
  ],
  [
    'an events.k8s.io event copied from the old API',
    { metadata: { name: 'e6' }, regarding: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{app}' }, note: 'Pulled', reason: 'Pulled', type: 'Normal', deprecatedSource: { component: 'kubelet', host: 'w-2' }, deprecatedFirstTimestamp: ago(7200), deprecatedLastTimestamp: ago(60), deprecatedCount: 2 },
    ['60s', 'Normal', 'Pulled', 'pod/p', 'spec.containers{app}', 'kubelet, w-2', 'Pulled', '120m', 2, 'e6'],
  ],
])('events.k8s.io/v1: %s', (_, ev, cells) => {
  expect(eventsApiEventPrinter.print(ev, now).cells).toEqual(cells);
});
