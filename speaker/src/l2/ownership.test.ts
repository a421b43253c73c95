// Ownership diffs between elections: gained (to announce), lost, moved, and touched Services.
import { describe, expect, test } from '@jest/globals';
import { electL2, type L2Owner } from './election/index.js';
import { electionInput, node, service } from './election/fixtures.js';
import { answeredBy, ownerlessIPs, ownershipChange } from './ownership.js';

const owner = (ip: string, node: string, extra: Partial<L2Owner> = {}): [string, L2Owner] => [
  ip,
  { ip, family: ip.includes(':') ? 6 : 4, pool: 'lan', node, interfaces: undefined, services: [`ns/${ip}`], candidates: 3, ...extra },
];

describe('ownershipChange for node n1', () => {
  test.each<{ name: string; before: [string, L2Owner][]; after: [string, L2Owner][]; gained: string[]; lost: string[]; moved: number; services: string[] }>([
    { name: 'nothing before, nothing after', before: [], after: [], gained: [], lost: [], moved: 0, services: [] },
    { name: 'first win', before: [], after: [owner('203.0.113.1', 'n1')], gained: ['203.0.113.1'], lost: [], moved: 1, services: ['ns/203.0.113.1'] },
    { name: 'an IP won by another node touches its Service only', before: [], after: [owner('203.0.113.1', 'n2')], gained: [], lost: [], moved: 1, services: ['ns/203.0.113.1'] },
    { name: 'taken over from n2', before: [owner('203.0.113.1', 'n2')], after: [owner('203.0.113.1', 'n1')], gained: ['203.0.113.1'], lost: [], moved: 1, services: ['ns/203.0.113.1'] },
    { name: 'handed to n3', before: [owner('203.0.113.1', 'n1')], after: [owner('203.0.113.1', 'n3')], gained: [], lost: ['203.0.113.1'], moved: 1, services: ['ns/203.0.113.1'] },
    { name: 'the Service went away', before: [owner('2001:db8::1', 'n1')], after: [], gained: [], lost: ['2001:db8::1'], moved: 1, services: ['ns/2001:db8::1'] },
    { name: 'same owner, nothing changes', before: [owner('203.0.113.1', 'n1')], after: [owner('203.0.113.1', 'n1')], gained: [], lost: [], moved: 0, services: [] },
    { name: 'other interfaces are announced again', before: [owner('203.0.113.1', 'n1')], after: [owner('203.0.113.1', 'n1', { interfaces: ['eth1'] })], gained: ['203.0.113.1'], lost: [], moved: 0, services: ['ns/203.0.113.1'] },
    {
      name: 'a Service joining a shared IP touches both, moves nothing',
      before: [owner('203.0.113.1', 'n1')],
      after: [owner('203.0.113.1', 'n1', { services: ['ns/203.0.113.1', 'ns/b'] })],
      gained: [],
      lost: [],
      moved: 0,
      services: ['ns/203.0.113.1', 'ns/b'],
    },
    {
      name: 'several at once, sorted',
      before: [owner('203.0.113.9', 'n1'), owner('203.0.113.2', 'n1'), owner('203.0.113.5', 'n2')],
      after: [owner('203.0.113.5', 'n1'), owner('203.0.113.3', 'n1'), owner('203.0.113.2', 'n1')],
      gained: ['203.0.113.3', '203.0.113.5'],
      lost: ['203.0.113.9'],
      moved: 3,
      services: ['ns/203.0.113.3', 'ns/203.0.113.5', 'ns/203.0.113.9'],
    },
  ])('$name', ({ before, after, gained, lost, moved, services }) => {
    const change = ownershipChange(new Map(before), new Map(after), 'n1');
    expect(change.gained).toEqual(gained);
    expect(change.lost).toEqual(lost);
    expect(change.moved).toBe(moved);
    expect([...change.services].sort()).toEqual(services);
  });
});

test('answeredBy lists the node own IPs with their interfaces', () => {
  const owners = new Map([owner('203.0.113.1', 'n1', { interfaces: ['eth1'] }), owner('203.0.113.2', 'n2'), owner('2001:db8::1', 'n1')]);
  expect(answeredBy(owners, 'n1')).toEqual([
    { ip: '203.0.113.1', family: 4, interfaces: ['eth1'] },
    { ip: '2001:db8::1', family: 6, interfaces: undefined },
  ]);
});

describe('ownerlessIPs: what L2 should answer for and no node may', () => {
  const nodes = [node('n1'), node('n2')];
  const web = service({ key: 'ns/web', ips: ['203.0.113.10'] });
  const local = service({ key: 'ns/local', ips: ['203.0.113.11'], policy: 'Local' });
  const ready = (svc: string, on: string) => ({ service: svc, node: on });
  test.each<{ name: string; spec: Parameters<typeof electionInput>[0]; ownerless: string[] }>([
    { name: 'every IP has an owner', spec: { nodes, services: [web, local], endpoints: [ready('ns/web', 'n1'), ready('ns/local', 'n2')] }, ownerless: [] },
    { name: 'no speaker alive', spec: { nodes, services: [web], endpoints: [ready('ns/web', 'n1')], alive: [] }, ownerless: ['203.0.113.10'] },
    { name: 'Local, endpoints only where the speaker is dead', spec: { nodes, services: [web, local], endpoints: [ready('ns/web', 'n1'), ready('ns/local', 'n2')], alive: ['n1'] }, ownerless: ['203.0.113.11'] },
    { name: 'no endpoint: left unanswered on purpose', spec: { nodes, services: [web] }, ownerless: [] },
    { name: 'a pool no L2Advertisement names (BGP only): not L2\'s', spec: { nodes, ads: [{ name: 'other', pools: ['other'] }], services: [web], endpoints: [ready('ns/web', 'n1')] }, ownerless: [] },
  ])('$name', ({ spec, ownerless }) => {
    expect(ownerlessIPs(electL2(electionInput(spec)))).toEqual(ownerless);
  });
});
