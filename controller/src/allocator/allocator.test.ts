// Sequential tables: each row changes the allocator shared by its describe block, so the rows
// read as a story ("assign s1", "s2 cannot take s1's IP", "delete s1", "s2 now can").
import { story } from './fixtures.js';

const IPS = 'headland.io/loadBalancerIPs';
const POOL = 'headland.io/address-pool';

describe('lowest free address first', () => {
  story({ a: { addresses: ['203.0.113.0/30'] } }, [
    ['s1 gets the first address', ['allocate', 's1'], 'a 203.0.113.0'],
    ['s2 the next', ['allocate', 's2'], 'a 203.0.113.1'],
    ['s1 again keeps its address', ['allocate', 's1'], 'a 203.0.113.0 (kept)'],
    ['delete s1', ['release', 's1'], 'released'],
    ['s3 takes the freed lowest address', ['allocate', 's3'], 'a 203.0.113.0'],
    ['s4', ['allocate', 's4'], 'a 203.0.113.2'],
    ['s5 takes the last', ['allocate', 's5'], 'a 203.0.113.3'],
    ['s6 finds the pool full', ['allocate', 's6'], '!PoolExhausted'],
    ['delete s2', ['release', 's2'], 'released'],
    ['s6 now gets s2\'s address', ['allocate', 's6'], 'a 203.0.113.1'],
    ['releasing a service that holds nothing is harmless', ['release', 'nobody'], 'released'],
  ]);
});

describe('across ranges of one pool', () => {
  story({ a: { addresses: ['203.0.113.10-203.0.113.11', '198.18.0.0/31'] } }, [
    ['addresses go in ascending order, not spec order', ['allocate', 's1'], 'a 198.18.0.0'],
    ['s2', ['allocate', 's2'], 'a 198.18.0.1'],
    ['then the next range', ['allocate', 's3'], 'a 203.0.113.10'],
  ]);
});

describe('requested IPs', () => {
  story(
    {
      a: { addresses: ['203.0.113.0/28'] },
      b: { addresses: ['203.0.113.16/28'], autoAssign: false },
      c: { addresses: ['2001:db8::/120'] },
    },
    [
      ['s1 asks for .5 by annotation', ['allocate', 's1', { annotations: { [IPS]: '203.0.113.5' } }], 'a 203.0.113.5'],
      ['s2 cannot take s1\'s IP', ['allocate', 's2', { annotations: { [IPS]: '203.0.113.5' } }], '!RequestedIPInUse'],
      ['nor through spec.loadBalancerIP', ['allocate', 's2', { spec: { loadBalancerIP: '203.0.113.5' } }], '!RequestedIPInUse'],
      ['nor through the MetalLB spelling', ['allocate', 's2', { annotations: { 'metallb.universe.tf/loadBalancerIPs': '203.0.113.5' } }], '!RequestedIPInUse'],
      ['and the failed request left s2 without an IP', ['holders', '203.0.113.5'], 'default/s1'],
      ['an IP in no pool fails, with no substitute', ['allocate', 's3', { annotations: { [IPS]: '198.18.0.1' } }], '!RequestedIPNotInPool'],
      ['delete s1', ['release', 's1'], 'released'],
      ['s2 now can', ['allocate', 's2', { spec: { loadBalancerIP: '203.0.113.5' } }], 'a 203.0.113.5'],
      ['an IP of an autoAssign: false pool may be asked for', ['allocate', 's4', { annotations: { [IPS]: '203.0.113.17' } }], 'b 203.0.113.17'],
      ['a service asking nothing never gets an autoAssign: false pool', ['allocate', 's5'], 'a 203.0.113.0'],
      ['naming an autoAssign: false pool works', ['allocate', 's6', { annotations: { [POOL]: 'b' } }], 'b 203.0.113.16'],
      ['its lowest free address, past the one taken by request', ['allocate', 's6b', { annotations: { 'metallb.io/address-pool': 'b' } }], 'b 203.0.113.18'],
      ['a pool that does not exist', ['allocate', 's7', { annotations: { [POOL]: 'nope' } }], '!PoolNotFound'],
      ['an IP outside the named pool', ['allocate', 's8', { annotations: { [POOL]: 'b', [IPS]: '203.0.113.6' } }], '!RequestedIPNotInPool'],
      ['an IP inside the named pool', ['allocate', 's8', { annotations: { [POOL]: 'b', [IPS]: '203.0.113.20' } }], 'b 203.0.113.20'],
      [
        'IPs of two pools',
        ['allocate', 's9', { annotations: { [IPS]: '203.0.113.7,2001:db8::1' }, spec: { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] } }],
        '!RequestedIPsInDifferentPools',
      ],
      ['an IPv6 request', ['allocate', 's10', { annotations: { [IPS]: '2001:db8::ff' }, spec: { ipFamilies: ['IPv6'] } }], 'c 2001:db8::ff'],
      ['a changed request moves the service to the new IP', ['allocate', 's2', { spec: { loadBalancerIP: '203.0.113.9' } }], 'a 203.0.113.9'],
      ['and frees the old one', ['holders', '203.0.113.5'], ''],
      ['dropping the request keeps the IP it has (still valid in an autoAssign pool)', ['allocate', 's2'], 'a 203.0.113.9 (kept)'],
      ['dropping the request of an autoAssign: false IP moves the service', ['allocate', 's4'], 'a 203.0.113.1'],
    ],
  );
});

describe('serviceAllocation and priority', () => {
  const allocation = (a: Record<string, unknown>) => ({ serviceAllocation: a });
  story(
    {
      general: { addresses: ['203.0.113.0/28'] },
      team: { addresses: ['203.0.113.16/29'], ...allocation({ priority: 10, namespaces: ['team-a'] }) },
      gold: { addresses: ['203.0.113.32/31'], ...allocation({ priority: 5, serviceSelectors: [{ matchLabels: { tier: 'gold' } }] }) },
      labelled: { addresses: ['203.0.113.48/29'], ...allocation({ priority: 10, namespaceSelectors: [{ matchLabels: { env: 'prod' } }] }) },
      later: { addresses: ['203.0.113.64/29'], ...allocation({ namespaces: ['team-a'] }) },
    },
    [
      ['a service no pool singles out gets the open pool', ['allocate', 's1'], 'general 203.0.113.0'],
      ['a namespace listed by a pool gets that pool, before open ones', ['allocate', 's2', { namespace: 'team-a' }], 'team 203.0.113.16'],
      ['a better priority wins', ['allocate', 's3', { namespace: 'team-a', labels: { tier: 'gold' } }], 'gold 203.0.113.32'],
      ['a service selector alone', ['allocate', 's4', { labels: { tier: 'gold' } }], 'gold 203.0.113.33'],
      ['a full pool falls through to the next by priority', ['allocate', 's5', { labels: { tier: 'gold' } }], 'general 203.0.113.1'],
      ['a namespace label selector', ['allocate', 's6', { namespace: 'shop', namespaceLabels: { env: 'prod' } }], 'labelled 203.0.113.48'],
      ['equal priorities: by name, not at random', ['allocate', 's7', { namespace: 'team-a', namespaceLabels: { env: 'prod' } }], 'labelled 203.0.113.49'],
      ['a pool without priority comes after those with one', ['allocate', 's8', { namespace: 'team-a', namespaceLabels: { env: 'dev' } }], 'team 203.0.113.17'],
      ['requesting an IP of a pool that does not serve the service', ['allocate', 's9', { annotations: { [IPS]: '203.0.113.18' } }], '!PoolNotAllowed'],
      ['naming a pool that does not serve the service', ['allocate', 's9', { annotations: { [POOL]: 'team' } }], '!PoolNotAllowed'],
      ['naming one that does', ['allocate', 's9', { namespace: 'team-a', annotations: { [POOL]: 'later' } }], 'later 203.0.113.64'],
      ['a label change that leaves the pool\'s selector moves the service', ['allocate', 's3', { namespace: 'team-a' }], 'team 203.0.113.18'],
      ['and frees its address in the pool it left', ['allocate', 's10', { labels: { tier: 'gold' } }], 'gold 203.0.113.32'],
    ],
  );
});

describe('no pool serves the service', () => {
  story(
    {
      limited: { addresses: ['203.0.113.0/28'], serviceAllocation: { namespaces: ['team-a'] } },
      manual: { addresses: ['203.0.113.16/28'], autoAssign: false },
    },
    [
      ['every pool is limited or manual', ['allocate', 's1'], '!NoMatchingPool'],
      ['the limited pool serves its namespace', ['allocate', 's1', { namespace: 'team-a' }], 'limited 203.0.113.0'],
      ['releasing a key the allocator never saw changes nothing', ['release', 'default/s1'], 'released'],
      ['a remove of every pool', ['setPools', {}], 'stranded team-a/s1'],
      ['leaves nothing to serve', ['allocate', 's2', { namespace: 'team-a' }], '!NoMatchingPool'],
    ],
  );
});

describe('avoidBuggyIPs', () => {
  story({ careful: { addresses: ['198.18.0.254-198.18.1.1'], avoidBuggyIPs: true }, plain: { addresses: ['198.18.2.255-198.18.3.0'], autoAssign: false } }, [
    ['the first address does not end in .0 or .255', ['allocate', 's1'], 'careful 198.18.0.254'],
    ['.255 and .0 are skipped', ['allocate', 's2'], 'careful 198.18.1.1'],
    ['then the pool is full', ['allocate', 's3'], '!PoolExhausted'],
    ['and an explicit .0 is refused with a reason, not substituted', ['allocate', 's3', { annotations: { [IPS]: '198.18.1.0' } }], '!RequestedIPNotInPool'],
    ['a pool without the option hands out .255', ['allocate', 's4', { annotations: { [POOL]: 'plain' } }], 'plain 198.18.2.255'],
    ['and .0', ['allocate', 's5', { annotations: { [POOL]: 'plain' } }], 'plain 198.18.3.0'],
  ]);
});
