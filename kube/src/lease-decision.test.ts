import { decide, microTime, observe, recordFromSpec, releasedRecord, type LeaseDecision, type LeaseRecord, type Observation } from './lease-decision.js';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const at = (s: number) => T0 + s * 1000;
const rec = (holderIdentity: string, leaseDurationSeconds: number, renewS: number, leaseTransitions = 3): LeaseRecord => ({
  holderIdentity,
  leaseDurationSeconds,
  acquireTime: microTime(at(0)),
  renewTime: microTime(at(renewS)),
  leaseTransitions,
});
const seen = (record: LeaseRecord, observedS: number): Observation => ({ record, observedAtMs: at(observedS) });

test('microTime has six fractional digits', () => {
  expect(microTime(Date.parse('2025-03-01T10:00:00.123Z'))).toBe('2025-03-01T10:00:00.123000Z');
});

test.each<[string, Observation | undefined, number, LeaseDecision]>([
  ['no Lease: create it', undefined, 0, { action: 'create', record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(at(0)), renewTime: microTime(at(0)), leaseTransitions: 0 } }],
  ['ours: renew, keeping acquireTime and transitions', seen(rec('me', 15, 4), 4), 6, { action: 'update', acquired: false, record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(at(0)), renewTime: microTime(at(6)), leaseTransitions: 3 } }],
  ['ours even when it looks expired: still renew', seen(rec('me', 15, 4), 4), 60, { action: 'update', acquired: false, record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(at(0)), renewTime: microTime(at(60)), leaseTransitions: 3 } }],
  ['held by another, seen changing 10 s ago: wait', seen(rec('other', 15, 4), 4), 14, { action: 'wait', holder: 'other', expiresAtMs: at(19) }],
  ['held by another, 1 ms before expiry: wait', seen(rec('other', 15, 4), 4), 18.999, { action: 'wait', holder: 'other', expiresAtMs: at(19) }],
  ['held by another, expired: take it, one more transition', seen(rec('other', 15, 4), 4), 19, { action: 'update', acquired: true, record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(at(19)), renewTime: microTime(at(19)), leaseTransitions: 4 } }],
  ['the holder states a shorter duration: it wins', seen(rec('other', 2, 4), 4), 6, { action: 'update', acquired: true, record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(at(6)), renewTime: microTime(at(6)), leaseTransitions: 4 } }],
  ['the holder states no duration: ours is used', seen(rec('other', 0, 4), 4), 18, { action: 'wait', holder: 'other', expiresAtMs: at(19) }],
  ['released (empty holder): take it at once', seen(releasedRecord(rec('other', 15, 4), at(5)), 5), 5, { action: 'update', acquired: true, record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(at(5)), renewTime: microTime(at(5)), leaseTransitions: 4 } }],
  // The holder's clock is an hour behind: its renewTime looks ancient, but we saw it change just now.
  ['skewed renewTime does not matter, only when we saw it', seen(rec('other', 15, -3600), 10), 12, { action: 'wait', holder: 'other', expiresAtMs: at(25) }],
])('%s', (_what, observed, nowS, decision) => {
  expect(decide(observed, 'me', 15_000, at(nowS))).toEqual(decision);
});

test('observe keeps the first sighting of an unchanged record and restarts on any change', () => {
  const a = rec('other', 15, 4);
  const first = observe(undefined, a, at(4));
  expect(observe(first, { ...a }, at(9))).toBe(first);
  expect(observe(first, { ...a, renewTime: microTime(at(6)) }, at(9)).observedAtMs).toBe(at(9));
  expect(observe(first, { ...a, holderIdentity: 'third' }, at(9)).observedAtMs).toBe(at(9));
  expect(observe(first, { ...a, leaseTransitions: 4 }, at(9)).observedAtMs).toBe(at(9));
});

// Sequential: two candidates share one Lease and one clock; each row is one candidate's try.
test('two candidates on one Lease: exactly one holds it at any time, and a silent holder loses it after the lease duration', () => {
  let lease: LeaseRecord | undefined;
  const views = new Map<string, Observation | undefined>();
  const attempt = (who: string, s: number): string => {
    const obs = lease === undefined ? undefined : observe(views.get(who), lease, at(s));
    views.set(who, obs);
    const d = decide(obs, who, 10_000, at(s));
    if (d.action === 'wait') return `waits for ${d.holder}`;
    lease = d.record;
    views.set(who, { record: lease, observedAtMs: at(s) });
    return d.action === 'create' ? 'creates' : d.acquired ? 'acquires' : 'renews';
  };
  const rows: [string, number, string][] = [
    ['a', 0, 'creates'],
    ['b', 0.5, 'waits for a'],
    ['a', 2, 'renews'],
    ['b', 2.5, 'waits for a'],
    ['a', 4, 'renews'],
    // a goes silent after 4 s; b first sees that record at 4.5 s, so it may take over at 14.5 s.
    ['b', 4.5, 'waits for a'],
    ['b', 14, 'waits for a'],
    ['b', 14.5, 'acquires'],
    ['a', 15, 'waits for b'],
    ['b', 16, 'renews'],
  ];
  for (const [who, s, outcome] of rows) expect(`${who}@${s}: ${attempt(who, s)}`).toBe(`${who}@${s}: ${outcome}`);
  expect(lease?.leaseTransitions).toBe(1);
});

test.each<[unknown, LeaseRecord]>([
  [undefined, { holderIdentity: '', leaseDurationSeconds: 0, leaseTransitions: 0 }],
  [{ holderIdentity: 'x', leaseDurationSeconds: 15, renewTime: '2025-03-01T10:00:00.000000Z', leaseTransitions: 2 }, { holderIdentity: 'x', leaseDurationSeconds: 15, renewTime: '2025-03-01T10:00:00.000000Z', leaseTransitions: 2 }],
  [{ holderIdentity: 7, leaseDurationSeconds: -1, leaseTransitions: 'many' }, { holderIdentity: '', leaseDurationSeconds: 0, leaseTransitions: 0 }],
])('recordFromSpec(%j) reads what is there and defaults the rest', (spec, record) => {
  expect(recordFromSpec(spec)).toEqual(record);
});
