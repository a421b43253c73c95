// ipFamilyPolicy and ipFamilies: which families a service gets, in which order, from one pool.
import { story } from './fixtures.js';

const v6 = { ipFamilies: ['IPv6'] };
const require46 = { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] };
const require64 = { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] };
const prefer = { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] };

describe('families', () => {
  story(
    {
      'a-v4': { addresses: ['203.0.113.0/30'] },
      'b-dual': { addresses: ['198.18.0.0/30', '2001:db8::/126'] },
    },
    [
      ['SingleStack IPv6 skips the IPv4-only pool', ['allocate', 's1', { spec: v6 }], 'b-dual 2001:db8::'],
      ['SingleStack by default is IPv4, first pool by name', ['allocate', 's2'], 'a-v4 203.0.113.0'],
      ['RequireDualStack takes both from the one pool that has both', ['allocate', 's3', { spec: require46 }], 'b-dual 198.18.0.0,2001:db8::1'],
      ['in ipFamilies order', ['allocate', 's4', { spec: require64 }], 'b-dual 2001:db8::2,198.18.0.1'],
      ['PreferDualStack takes both when a pool offers both', ['allocate', 's5', { spec: prefer }], 'b-dual 198.18.0.2,2001:db8::3'],
      ['IPv6 is now full: PreferDualStack settles for IPv4, first pool', ['allocate', 's6', { spec: prefer }], 'a-v4 203.0.113.1'],
      ['RequireDualStack cannot', ['allocate', 's7', { spec: require46 }], '!PoolExhausted'],
      ['SingleStack IPv6 neither', ['allocate', 's8', { spec: v6 }], '!PoolExhausted'],
      ['delete s1', ['release', 's1'], 'released'],
      ['RequireDualStack now fits', ['allocate', 's7', { spec: require46 }], 'b-dual 198.18.0.3,2001:db8::'],
      ['s2 turns PreferDualStack: it keeps its IPv4 (its pool has no IPv6)', ['allocate', 's2', { spec: prefer }], 'a-v4 203.0.113.0 (kept)'],
      ['s2 turns RequireDualStack: it must move, and no pair is free', ['allocate', 's2', { spec: require46 }], '!PoolExhausted'],
      ['s4 turns SingleStack IPv6: its pair no longer fits, it gets one IPv6 (its own, now the lowest free)', ['allocate', 's4', { spec: v6 }], 'b-dual 2001:db8::2'],
    ],
  );
});

describe('PreferDualStack grows into the pool it is in', () => {
  story({ d: { addresses: ['198.18.0.0/30', '2001:db8::/127'] } }, [
    ['s1 SingleStack IPv4', ['allocate', 's1'], 'd 198.18.0.0'],
    ['s1 turns PreferDualStack: keeps its IPv4, adds an IPv6', ['allocate', 's1', { spec: prefer }], 'd 198.18.0.0,2001:db8::'],
    ['asked again, nothing changes', ['allocate', 's1', { spec: prefer }], 'd 198.18.0.0,2001:db8:: (kept)'],
    ['s2 PreferDualStack', ['allocate', 's2', { spec: prefer }], 'd 198.18.0.1,2001:db8::1'],
    ['s3 PreferDualStack with IPv6 full gets IPv4 only', ['allocate', 's3', { spec: prefer }], 'd 198.18.0.2'],
    ['delete s2', ['release', 's2'], 'released'],
    ['s3 asked again gains the freed IPv6', ['allocate', 's3', { spec: prefer }], 'd 198.18.0.2,2001:db8::1'],
  ]);
});

describe('no pool has the family', () => {
  story({ v4: { addresses: ['203.0.113.0/30'] } }, [
    ['SingleStack IPv6', ['allocate', 's1', { spec: v6 }], '!FamilyNotAvailable'],
    ['RequireDualStack', ['allocate', 's2', { spec: require46 }], '!FamilyNotAvailable'],
    ['PreferDualStack settles for IPv4', ['allocate', 's3', { spec: prefer }], 'v4 203.0.113.0'],
    ['PreferDualStack listing IPv6 first still gets the IPv4 it can', ['allocate', 's4', { spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] } }], 'v4 203.0.113.1'],
    ['naming the pool for IPv6', ['allocate', 's5', { spec: v6, annotations: { 'headland.io/address-pool': 'v4' } }], '!FamilyNotAvailable'],
  ]);
});

describe('a RequireDualStack pair comes from one pool, never split across two', () => {
  story({ four: { addresses: ['203.0.113.0/30'] }, six: { addresses: ['2001:db8::/126'] } }, [
    ['each pool has one family', ['allocate', 's1', { spec: require46 }], '!FamilyNotAvailable'],
  ]);
});
