// One speaker, two peers over loopback (127.0.0.2 and 127.0.0.3 as their addresses): a prefix
// announced with different attributes per peer arrives at each with its own, a prefix for one
// peer never reaches the other, and a change goes only to the peer it changes.

import { BgpSpeaker, type SpeakerEvents } from './speaker.js';
import { ManualClock } from './session/clock.js';
import { seededRandom } from './fsm/testing.js';
import { findAttribute } from './wire/attributes/table.js';
import { formatPrefix } from './wire/nlri.js';
import type { RouteAttributes } from './session/route.js';

const speakers: BgpSpeaker[] = [];
afterEach(async () => {
  for (const s of speakers.splice(0)) await s.stop();
});

function until<K extends keyof SpeakerEvents>(speaker: BgpSpeaker, event: K, match: (...args: SpeakerEvents[K]) => boolean): Promise<SpeakerEvents[K][0]> {
  return new Promise((resolve) => {
    const listener = (...args: SpeakerEvents[K]) => {
      if (!match(...args)) return;
      speaker.off(event, listener as never);
      resolve(args[0]);
    };
    speaker.on(event, listener as never);
  });
}

const P = '127.0.0.2';
const Q = '127.0.0.3';

/** Speaker A (AS 64512) listening on 127.0.0.1; peer P is iBGP (AS 64512), peer Q eBGP (AS 64513). */
async function triangle() {
  const make = (localAs: number, routerId: string, listen: boolean) => {
    const s = new BgpSpeaker({ localAs, routerId, clock: new ManualClock(), random: seededRandom(7), ...(listen ? { listen: { address: '127.0.0.1', port: 0 } } : {}) });
    speakers.push(s);
    return s;
  };
  const a = make(64512, '198.18.0.1', true);
  await a.start();
  const p = make(64512, '198.18.0.2', false);
  const q = make(64513, '198.18.0.3', false);
  const up = Promise.all([P, Q].map((address) => until(a, 'state', (e) => e.peer === address && e.to === 'Established')));
  const eor = Promise.all([p, q].map((s) => until(s, 'update-received', (e) => e.endOfRib === 'ipv4')));
  a.addPeer({ address: P, peerAs: 64512, passive: true, nextHop: { ipv4: '198.18.0.1' } });
  a.addPeer({ address: Q, peerAs: 64513, passive: true, nextHop: { ipv4: '198.18.0.1' } });
  p.addPeer({ address: '127.0.0.1', port: a.listenPort, sourceAddress: P, peerAs: 64512 });
  q.addPeer({ address: '127.0.0.1', port: a.listenPort, sourceAddress: Q, peerAs: 64512 });
  await up;
  await eor;
  const updatesTo = (address: string) => a.status().find((s) => s.address === address)?.counters.messagesOut.update ?? 0;
  return { a, p, q, updatesTo };
}

/** What `s` holds from A: prefix -> communities, local pref (iBGP only). */
function table(s: BgpSpeaker): Record<string, { communities: unknown; localPref: unknown }> {
  const out: Record<string, { communities: unknown; localPref: unknown }> = {};
  for (const r of s.received('127.0.0.1')) {
    out[formatPrefix(r.prefix)] = { communities: findAttribute(r.attributes, 'communities')?.value, localPref: findAttribute(r.attributes, 'local-pref')?.value };
  }
  return out;
}

/** Resolves once `s` holds exactly these prefixes from A (checked after each UPDATE it receives). */
function holds(s: BgpSpeaker, prefixes: string[]): Promise<unknown> {
  const done = () => Object.keys(table(s)).sort().join() === [...prefixes].sort().join();
  return done() ? Promise.resolve() : until(s, 'update-received', done);
}

test('each peer gets its own attributes for the same prefix, and a prefix for one peer never reaches the other', async () => {
  const { a, p, q, updatesTo } = await triangle();
  const before = { p: updatesTo(P), q: updatesTo(Q) };
  const red: RouteAttributes = { communities: ['64512:1'], localPref: 300 };
  const blue: RouteAttributes = { communities: ['64512:2'] };
  const both = Promise.all([holds(p, ['203.0.113.10/32', '203.0.113.11/32']), holds(q, ['203.0.113.10/32', '203.0.113.12/32'])]);
  a.announceEach('203.0.113.10/32', new Map([[P, red], [Q, blue]]));
  a.announceEach('203.0.113.11/32', { [P]: blue });
  a.announce('203.0.113.12/32', {}, [Q]);
  await both;
  // 64512:1 = 0xfc000001, 64512:2 = 0xfc000002; local pref only toward the iBGP peer.
  expect(table(p)).toEqual({ '203.0.113.10/32': { communities: [0xfc000001], localPref: 300 }, '203.0.113.11/32': { communities: [0xfc000002], localPref: 100 } });
  expect(table(q)).toEqual({ '203.0.113.10/32': { communities: [0xfc000002], localPref: undefined }, '203.0.113.12/32': { communities: undefined, localPref: undefined } });
  expect(a.announcedTo('203.0.113.10/32', Q)).toEqual(blue);
  expect(a.announcedTo('203.0.113.11/32', Q)).toBeUndefined();
  expect(updatesTo(P) - before.p).toBeGreaterThan(0);

  // Q's attributes change, P's do not: only Q hears of it.
  const sentToP = updatesTo(P);
  const changed = until(q, 'update-received', (e) => e.announced.length > 0);
  a.announceEach('203.0.113.10/32', new Map([[P, red], [Q, { communities: ['64512:3'] }]]));
  await changed;
  expect(table(q)['203.0.113.10/32']?.communities).toEqual([0xfc000003]);
  expect(updatesTo(P)).toBe(sentToP);

  // The prefix narrows to P: Q gets a withdrawal, P nothing new.
  const withdrawn = until(q, 'update-received', (e) => e.withdrawn.length > 0);
  a.announceEach('203.0.113.10/32', { [P]: red });
  await withdrawn;
  expect(Object.keys(table(q))).toEqual(['203.0.113.12/32']);
  expect(updatesTo(P)).toBe(sentToP);

  // An empty list withdraws it from everybody.
  const gone = until(p, 'update-received', (e) => e.withdrawn.length > 0);
  a.announceEach('203.0.113.10/32', {});
  await gone;
  expect(Object.keys(table(p))).toEqual(['203.0.113.11/32']);
});

test('a peer that connects later receives only its own routes, with its own attributes', async () => {
  const a = new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1', listen: { address: '127.0.0.1', port: 0 }, clock: new ManualClock(), random: seededRandom(7) });
  const q = new BgpSpeaker({ localAs: 64513, routerId: '198.18.0.3', clock: new ManualClock(), random: seededRandom(7) });
  speakers.push(a, q);
  await a.start();
  a.announceEach('203.0.113.20/32', { [P]: { communities: ['64512:1'] }, [Q]: { communities: ['64512:2'] } });
  a.announceEach('203.0.113.21/32', { [P]: {} });
  const eor = until(q, 'update-received', (e) => e.endOfRib === 'ipv4');
  a.addPeer({ address: Q, peerAs: 64513, passive: true, nextHop: { ipv4: '198.18.0.1' } });
  q.addPeer({ address: '127.0.0.1', port: a.listenPort, sourceAddress: Q, peerAs: 64512 });
  await eor;
  expect(table(q)).toEqual({ '203.0.113.20/32': { communities: [0xfc000002], localPref: undefined } });
});

test.each([
  ['a peer that is no address', () => new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' }).announceEach('203.0.113.1/32', { 'not an address': {} }), /^speaker: peer address not an address for 203\.0\.113\.1\/32 is not an IP address/],
  ['a bad attribute set for one peer', () => new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' }).announceEach('203.0.113.1/32', { [P]: {}, [Q]: { med: -1 } }), /^route: MED -1/],
  ['no per-peer table at all', () => new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' }).announceEach('203.0.113.1/32', null as never), /^speaker: attributes per peer for 203\.0\.113\.1\/32 must be a Map or an object/],
  ['a bad prefix', () => new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' }).announceEach('nope', {}), /^speaker: "nope" is not a prefix/],
  ['peers that are not a list', () => new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' }).announce('203.0.113.1/32', {}, '198.18.0.2' as never), /^speaker: peers for 203\.0\.113\.1\/32 must be a list of addresses/],
  ['a peer in the list that is no address', () => new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' }).announce('203.0.113.1/32', {}, [7 as never]), /^speaker: peer address 7 for 203\.0\.113\.1\/32 is not an IP address/],
])('refused: %s', (_name, call, message) => {
  expect(call).toThrow(message);
});

test('a refused per-peer announcement leaves the previous routes of the prefix alone', () => {
  const a = new BgpSpeaker({ localAs: 64512, routerId: '198.18.0.1' });
  a.announceEach('203.0.113.1/32', { [P]: { med: 5 } });
  expect(() => a.announceEach('203.0.113.1/32', { [P]: { med: 6 }, [Q]: { med: -1 } })).toThrow(/^route: MED -1/);
  expect(a.announcedTo('203.0.113.1/32', P)).toEqual({ med: 5 });
  expect(a.announcedTo('203.0.113.1/32', Q)).toBeUndefined();
});
