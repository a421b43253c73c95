import { EventCorrelator, eventKey, eventName, eventNamespace, type EventType, type InvolvedObject } from './event-correlator.js';

const svc = (name: string, uid = `uid-${name}`, namespace: string | undefined = 'default'): InvolvedObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, uid, ...(namespace === undefined ? {} : { namespace }) },
});
const source = { component: 'headland-controller' };

test.each<[string, InvolvedObject, EventType, string, string, boolean]>([
  ['identical', svc('a'), 'Normal', 'IPAllocated', 'Assigned 203.0.113.1', true],
  ['other message', svc('a'), 'Normal', 'IPAllocated', 'Assigned 203.0.113.2', false],
  ['other reason', svc('a'), 'Normal', 'IPReleased', 'Assigned 203.0.113.1', false],
  ['other type', svc('a'), 'Warning', 'IPAllocated', 'Assigned 203.0.113.1', false],
  ['other object', svc('b'), 'Normal', 'IPAllocated', 'Assigned 203.0.113.1', false],
  ['same name, recreated (other uid)', svc('a', 'uid-2'), 'Normal', 'IPAllocated', 'Assigned 203.0.113.1', false],
  ['same name, other namespace', svc('a', 'uid-a', 'other'), 'Normal', 'IPAllocated', 'Assigned 203.0.113.1', false],
])('eventKey: %s -> same event: %p', (_what, obj, type, reason, message, same) => {
  expect(eventKey(source, obj, type, reason, message) === eventKey(source, svc('a'), 'Normal', 'IPAllocated', 'Assigned 203.0.113.1')).toBe(same);
});

test('eventKey tells sources apart, and cannot be fooled by text that contains separators', () => {
  expect(eventKey({ component: 'a' }, svc('x'), 'Normal', 'R', 'm')).not.toBe(eventKey({ component: 'a', host: 'n1' }, svc('x'), 'Normal', 'R', 'm'));
  expect(eventKey(source, svc('x'), 'Normal', 'R,m', '')).not.toBe(eventKey(source, svc('x'), 'Normal', 'R', ',m'));
});

test.each([
  [svc('a'), 'default'],
  [svc('a', 'u', 'team-1'), 'team-1'],
  [{ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' } }, 'default'],
  [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', namespace: '' } }, 'default'],
])('eventNamespace(%j) = %s', (obj, ns) => {
  expect(eventNamespace(obj)).toBe(ns);
});

test.each([
  ['svc', 0, 0, 'svc.0'],
  ['svc', 1, 0, 'svc.f4240'],
  ['svc', 1, 1, 'svc.f4241'],
  ['svc', Date.parse('2025-03-01T10:00:00Z'), 0, `svc.${(BigInt(Date.parse('2025-03-01T10:00:00Z')) * 1_000_000n).toString(16)}`],
])('eventName(%s, %i, %i) = %s', (name, ms, seq, expected) => {
  expect(eventName(name, ms, seq)).toBe(expected);
});

// Sequential: one correlator (window 600 s); each row records an event at a time and expects what to write.
test('repeats within the window patch the same Event with a growing count; later ones start anew', () => {
  const c = new EventCorrelator({ windowMs: 600_000 });
  const names: string[] = [];
  const row = (obj: InvolvedObject, reason: string, message: string, s: number): string => {
    const r = c.correlate(source, obj, 'Normal', reason, message, s * 1000);
    if (r.action === 'drop') return 'drop';
    if (!names.includes(r.name)) names.push(r.name);
    return `${r.action} #${names.indexOf(r.name)} count ${r.count} first ${r.firstMs / 1000}`;
  };
  const rows: [InvolvedObject, string, string, number, string][] = [
    [svc('a'), 'IPAllocated', 'Assigned 203.0.113.1', 0, 'create #0 count 1 first 0'],
    [svc('a'), 'IPAllocated', 'Assigned 203.0.113.1', 10, 'patch #0 count 2 first 0'],
    [svc('b'), 'IPAllocated', 'Assigned 203.0.113.1', 11, 'create #1 count 1 first 11'],
    [svc('a'), 'IPAllocated', 'Assigned 203.0.113.2', 12, 'create #2 count 1 first 12'],
    [svc('a'), 'IPAllocated', 'Assigned 203.0.113.1', 610, 'patch #0 count 3 first 0'],
    // 600 s after the last sighting is still inside; 600.001 s is not.
    [svc('a'), 'IPAllocated', 'Assigned 203.0.113.1', 1210, 'patch #0 count 4 first 0'],
    [svc('a'), 'IPAllocated', 'Assigned 203.0.113.1', 1810.001, 'create #3 count 1 first 1810.001'],
  ];
  for (const [obj, reason, message, s, expected] of rows) expect(`${s}: ${row(obj, reason, message, s)}`).toBe(`${s}: ${expected}`);
});

test('per-object rate limit: burst, then one per refill interval; other objects are not affected', () => {
  const c = new EventCorrelator({ burst: 3, refillEveryMs: 60_000 });
  const actions = (obj: InvolvedObject, n: number, ms: number) => Array.from({ length: n }, (_, i) => c.correlate(source, obj, 'Warning', 'AllocationFailed', `try ${i}`, ms).action);
  expect(actions(svc('a'), 4, 0)).toEqual(['create', 'create', 'create', 'drop']);
  expect(actions(svc('b'), 1, 0)).toEqual(['create']);
  // "try 0" was recorded at 0, so the refilled token patches it.
  expect(actions(svc('a'), 2, 60_000)).toEqual(['patch', 'drop']);
});

test('forget makes the next repeat a fresh create', () => {
  const c = new EventCorrelator();
  const first = c.correlate(source, svc('a'), 'Normal', 'R', 'm', 0);
  c.forget(source, svc('a'), 'Normal', 'R', 'm');
  const again = c.correlate(source, svc('a'), 'Normal', 'R', 'm', 1);
  expect(again.action).toBe('create');
  expect(again.action === 'create' && first.action === 'create' && again.name !== first.name).toBe(true);
});

test('two recorders with the same history name the same Event, in the same millisecond, differently', () => {
  // Speakers on two nodes announcing one Service at once: one name would make the second create a 409.
  const names = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const r = new EventCorrelator().correlate({ component: 'headland-speaker', host: `node${i}` }, svc('local'), 'Normal', 'BGPAnnounced', 'm', 1_000);
    if (r.action !== 'drop') names.add(r.name);
  }
  expect(names.size).toBe(5);
});

test('the dedup memory is bounded and forgets the least recently seen first', () => {
  const c = new EventCorrelator({ maxEntries: 2 });
  c.correlate(source, svc('a'), 'Normal', 'R', 'm', 0);
  c.correlate(source, svc('b'), 'Normal', 'R', 'm', 1);
  c.correlate(source, svc('a'), 'Normal', 'R', 'm', 2);
  c.correlate(source, svc('c'), 'Normal', 'R', 'm', 3);
  expect(c.size).toBe(2);
  expect(c.correlate(source, svc('a'), 'Normal', 'R', 'm', 4).action).toBe('patch');
  expect(c.correlate(source, svc('b'), 'Normal', 'R', 'm', 5).action).toBe('create');
});
