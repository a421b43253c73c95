// Which speakers count as alive: probes where they work, Node readiness where they cannot.
import { describe, expect, test } from '@jest/globals';
import { MEMBER_STATE } from './codec.js';
import type { MemberStatus } from './protocol.js';
import { aliveNodes, LIVENESS_SOURCE, type LivenessSource } from './view.js';

const member = (name: string, state: MemberStatus['state'], heard = true): MemberStatus => ({ name, state, incarnation: 0, heard, interfaces: heard ? [] : undefined, dataPlane: undefined });

describe('aliveNodes', () => {
  test.each<{ name: string; source: LivenessSource; members: MemberStatus[]; ready: string[]; alive: string[] }>([
    { name: 'probes: alive and suspect members count, dead ones do not', source: 'Probes', members: [member('a', MEMBER_STATE.Alive), member('b', MEMBER_STATE.Suspect), member('c', MEMBER_STATE.Dead)], ready: ['a', 'b', 'c'], alive: ['a', 'b', 'self'] },
    { name: 'probes: a dead member stays out even while its Node is Ready', source: 'Probes', members: [member('c', MEMBER_STATE.Dead)], ready: ['c'], alive: ['self'] },
    { name: 'probes: a member heard and alive counts even if its Node is not Ready', source: 'Probes', members: [member('a', MEMBER_STATE.Alive)], ready: [], alive: ['a', 'self'] },
    { name: 'probes: a member never heard is judged by readiness', source: 'Probes', members: [member('a', MEMBER_STATE.Dead, false), member('b', MEMBER_STATE.Alive, false)], ready: ['a'], alive: ['a', 'self'] },
    { name: 'no key: readiness for everyone', source: 'NoKey', members: [member('a', MEMBER_STATE.Dead)], ready: ['a', 'b'], alive: ['a', 'b', 'self'] },
    { name: 'no socket: readiness for everyone', source: 'NoSocket', members: [], ready: ['a'], alive: ['a', 'self'] },
    { name: 'silent: readiness for everyone', source: 'Silent', members: [member('a', MEMBER_STATE.Dead)], ready: ['a'], alive: ['a', 'self'] },
    { name: 'this speaker is alive even if its own Node is not Ready', source: 'NoKey', members: [], ready: [], alive: ['self'] },
  ])('$name', ({ source, members, ready, alive }) => {
    expect([...aliveNodes({ self: 'self', source, members: [member('self', MEMBER_STATE.Alive), ...members], readyNodes: new Set(ready) })].sort()).toEqual(alive);
  });
});
