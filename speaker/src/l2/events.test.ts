// L2 Events from two elections, seen from one node.
import { expect, test } from '@jest/globals';
import type { L2Election, L2Owner } from './election/index.js';
import { l2Events } from './events.js';

const election = (owners: [string, string, string[] | undefined][], unowned: [string, string][] = []): L2Election => ({
  owners: new Map(owners.map(([ip, node, interfaces]): [string, L2Owner] => [ip, { ip, family: ip.includes(':') ? 6 : 4, pool: 'lan', node, interfaces, services: ['ns/web'], candidates: 3 }])),
  unowned: new Map(unowned.map(([ip, detail]) => [ip, { reason: 'NoEligibleNode' as const, detail, services: ['ns/web'] }])),
  loads: new Map(),
  cap: 1,
});

test.each<{ name: string; before: L2Election; after: L2Election; events: [string, string][] }>([
  { name: 'won', before: election([]), after: election([['203.0.113.1', 'n1', ['eth1']]]), events: [['L2Answering', 'node n1 answers ARP/NDP for 203.0.113.1 on eth1']] },
  { name: 'won on every interface', before: election([]), after: election([['2001:db8::1', 'n1', undefined]]), events: [['L2Answering', 'node n1 answers ARP/NDP for 2001:db8::1 on every interface']] },
  { name: 'handed to another node', before: election([['203.0.113.1', 'n1', undefined]]), after: election([['203.0.113.1', 'n2', undefined]]), events: [['L2Stopped', 'node n1 stopped answering for 203.0.113.1 (now node n2)']] },
  {
    name: 'nobody may answer now',
    before: election([['203.0.113.1', 'n1', undefined]]),
    after: election([], [['203.0.113.1', 'no node may answer for 203.0.113.1']]),
    events: [['L2Stopped', 'node n1 stopped answering for 203.0.113.1 (no node may answer for 203.0.113.1)']],
  },
  { name: 'another node changes hands: nothing from n1', before: election([['203.0.113.1', 'n2', undefined]]), after: election([['203.0.113.1', 'n3', undefined]]), events: [] },
  { name: 'kept: nothing', before: election([['203.0.113.1', 'n1', undefined]]), after: election([['203.0.113.1', 'n1', undefined]]), events: [] },
])('$name', ({ before, after, events }) => {
  expect(l2Events(before, after, 'n1', ['ns/web']).map((e) => [e.reason, e.message])).toEqual(events);
});
