// Graceful restart between two real speakers over loopback TCP, each on its own manual clock:
// the restarting side (graceful stop, R bit, full table and End-of-RIB) and the helper side
// (stale kept, refreshed, purged) meet on real sockets, without sleeping.

import { BgpSpeaker, type SpeakerEvents, type SpeakerOptions } from '../speaker.js';
import type { PeerConfig } from './peer-config.js';
import { ManualClock } from './clock.js';
import { seededRandom } from '../fsm/testing.js';
import { formatPrefix } from '../wire/nlri.js';

const LO = '127.0.0.1';
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

/** Everything a speaker emits, in order, as short strings. */
function record(speaker: BgpSpeaker): string[] {
  const seen: string[] = [];
  speaker.on('graceful-restart', (e) => seen.push(`gr ${e.phase} stale=${e.stale} purged=${e.purged}`));
  speaker.on('update-received', (e) => {
    if (e.withdrawn.length > 0) seen.push(`withdrawn ${e.withdrawn.map(formatPrefix).sort().join(',')}`);
    if (e.endOfRib) seen.push(`eor ${e.endOfRib}`);
  });
  return seen;
}

async function speaker(options: Partial<SpeakerOptions> & Pick<SpeakerOptions, 'localAs' | 'routerId'>): Promise<{ s: BgpSpeaker; clock: ManualClock }> {
  const clock = new ManualClock();
  const s = new BgpSpeaker({ clock, random: seededRandom(3), ...options });
  speakers.push(s);
  await s.start();
  return { s, clock };
}

/** B (AS 64513) listens and helps; `gr` is both sides' graceful restart config. */
async function helperB(gr: PeerConfig['gracefulRestart']) {
  const b = await speaker({ localAs: 64513, routerId: '198.18.0.2', listen: { address: LO, port: 0 } });
  // After a drop the FSM idles for the retry backoff (1 s here) before it accepts again.
  b.s.addPeer({ address: LO, peerAs: 64512, passive: true, holdTime: 9, connectRetry: { initial: 1, max: 1, jitter: 0 }, ...(gr ? { gracefulRestart: gr } : {}) });
  return b;
}

/** A (AS 64512) connects to B, announcing `routes`; `restarted` sets the R bit. */
async function restartingA(port: number, routes: string[], gr: PeerConfig['gracefulRestart'], restarted = false) {
  const a = await speaker({ localAs: 64512, routerId: '198.18.0.1', restarted });
  for (const r of routes) a.s.announce(r);
  a.s.addPeer({ address: LO, port, peerAs: 64513, holdTime: 9, nextHop: { ipv4: '198.18.0.1' }, connectRetry: { initial: 1, max: 1, jitter: 0 }, ...(gr ? { gracefulRestart: gr } : {}) });
  return a;
}

const ROUTES = ['203.0.113.1/32', '203.0.113.2/32'];
const receivedBy = (b: BgpSpeaker) => b.received(LO).map((r) => formatPrefix(r.prefix)).sort();

test.each<[string, PeerConfig['gracefulRestart'] & object, { code: number; subcode: number } | undefined]>([
  ['with the N bit (graceful stop sends Cease / Administrative Reset)', { forwardingPreserved: true }, { code: 6, subcode: 4 }],
  ['without the N bit (graceful stop only closes TCP)', { forwardingPreserved: true, notification: false }, undefined],
])('restart %s: the helper keeps the routes stale, the restarted speaker sets R, End-of-RIB purges what it no longer sends', async (_name, gr, notification) => {
  const b = await helperB(gr);
  const seen = record(b.s);
  const eor = until(b.s, 'update-received', (e) => e.endOfRib === 'ipv4');
  const a = await restartingA(b.s.listenPort, ROUTES, gr);
  await eor;
  expect(receivedBy(b.s)).toEqual(ROUTES);
  expect(b.s.peer(LO)?.negotiated?.peerGracefulRestart).toMatchObject({ restarting: false, notification: gr.notification ?? true });

  const retained = until(b.s, 'graceful-restart', (e) => e.phase === 'retained');
  expect(await a.s.stop({ graceful: true })).toEqual({ retainedBy: [LO] });
  expect(await retained).toMatchObject({ stale: 2, purged: 0 });
  expect(b.s.status()[0]?.counters.lastErrorReceived).toEqual(notification === undefined ? undefined : expect.objectContaining(notification));
  expect(receivedBy(b.s)).toEqual(ROUTES);
  expect(b.s.status()[0]?.counters).toMatchObject({ staleRoutes: 2, gracefulRestarts: 1, prefixesAccepted: 2 });

  // The new process announces only one of the two routes.
  b.clock.advance(1_000);
  const finished = until(b.s, 'graceful-restart', (e) => e.phase === 'finished');
  const a2 = await restartingA(b.s.listenPort, ['203.0.113.1/32'], gr, true);
  await finished;
  expect(b.s.peer(LO)?.negotiated?.peerGracefulRestart).toMatchObject({ restarting: true, families: [{ afi: 1, safi: 1, forwardingPreserved: true }] });
  expect(receivedBy(b.s)).toEqual(['203.0.113.1/32']);
  expect(b.s.status()[0]?.counters).toMatchObject({ staleRoutes: 0, staleRoutesPurged: 1, gracefulRestarts: 1 });
  // Nothing was withdrawn until the End-of-RIB of the new session: no gap for the kept route.
  expect(seen).toEqual(['eor ipv4', 'gr retained stale=2 purged=0', 'gr reconnected stale=2 purged=0', 'eor ipv4', 'withdrawn 203.0.113.2/32', 'gr purged stale=0 purged=1', 'gr finished stale=0 purged=0']);
  // The restarted speaker's next session is an ordinary one again: R clear.
  const again = until(b.s, 'state', (e) => e.to === 'Established');
  const a2down = until(a2.s, 'state', (e) => e.from === 'Established');
  b.s.resetPeer(LO);
  await a2down;
  a2.clock.advance(1_000);
  await again;
  expect(b.s.peer(LO)?.negotiated?.peerGracefulRestart?.restarting).toBe(false);
});

test('a plain stop with the N bit agreed withdraws, then sends a Hard Reset, and the helper keeps nothing', async () => {
  const b = await helperB({});
  const seen = record(b.s);
  const eor = until(b.s, 'update-received', (e) => e.endOfRib === 'ipv4');
  const a = await restartingA(b.s.listenPort, ROUTES, {});
  await eor;
  const down = until(b.s, 'state', (e) => e.from === 'Established');
  expect(await a.s.stop()).toEqual({ retainedBy: [] });
  await down;
  expect(b.s.status()[0]?.counters.lastErrorReceived).toMatchObject({ code: 6, subcode: 9 });
  expect(receivedBy(b.s)).toEqual([]);
  // The withdrawals came first, on the live session; the Hard Reset then left nothing to flush.
  expect(seen).toEqual(['eor ipv4', `withdrawn ${ROUTES.join(',')}`, 'gr flushed stale=0 purged=0']);
});

test('a graceful stop toward a peer without graceful restart is an ordinary stop', async () => {
  const b = await helperB(undefined);
  const eor = until(b.s, 'update-received', (e) => e.endOfRib === 'ipv4');
  const a = await restartingA(b.s.listenPort, ROUTES, { forwardingPreserved: true });
  await eor;
  expect(b.s.peer(LO)?.negotiated?.peerGracefulRestart).toMatchObject({ restartTime: 120 });
  const down = until(b.s, 'state', (e) => e.from === 'Established');
  expect(await a.s.stop({ graceful: true })).toEqual({ retainedBy: [] });
  await down;
  expect(b.s.status()[0]?.counters.lastErrorReceived).toMatchObject({ code: 6, subcode: 2 });
  expect(receivedBy(b.s)).toEqual([]);
});

test('the helper keeps routes when the peer goes silent (hold timer), and purges them when the restart time runs out', async () => {
  const gr = { restartTime: 30 };
  const b = await helperB(gr);
  const seen = record(b.s);
  const eor = until(b.s, 'update-received', (e) => e.endOfRib === 'ipv4');
  await restartingA(b.s.listenPort, ROUTES, gr);
  await eor;
  const retained = until(b.s, 'graceful-restart', (e) => e.phase === 'retained');
  b.clock.advance(9_001);
  expect(await retained).toMatchObject({ stale: 2, reason: expect.stringMatching(/^HoldTimer_Expires; restart time 30 s/) });
  // A never comes back (its retry waits on its own clock, which stands still).
  const finished = until(b.s, 'graceful-restart', (e) => e.phase === 'finished');
  b.clock.advance(30_000);
  await finished;
  expect(seen.slice(0, 4)).toEqual(['eor ipv4', 'gr retained stale=2 purged=0', `withdrawn ${ROUTES.join(',')}`, 'gr purged stale=0 purged=2']);
});
