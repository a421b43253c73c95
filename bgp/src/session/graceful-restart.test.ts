// The helper side of graceful restart without sockets: which session ends keep routes, and the
// timers and End-of-RIB steps on a manual clock (rows in order on one helper, nothing sleeps).

import { CeaseSubcode, ErrorCode } from '../wire/errors.js';
import { formatPrefix, parsePrefix } from '../wire/nlri.js';
import type { AddressFamily } from '../wire/ip.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import { AdjRibIn } from '../rib/adj-rib-in.js';
import { ManualClock } from './clock.js';
import { capabilityFamilies, GracefulRestartHelper, retainsRoutes, type HelperEvent, type HelperTerms, type PeerGracefulRestart, type SessionEnd } from './graceful-restart.js';

const cap = (restartTime: number, families: [AddressFamily, boolean][], notification = false): PeerGracefulRestart => ({
  type: 'graceful-restart',
  restarting: false,
  notification,
  restartTime,
  families: families.map(([f, forwardingPreserved]) => ({ afi: f === 'ipv4' ? 1 : 2, safi: 1, forwardingPreserved })),
});
const helping: HelperTerms = { localEnabled: true, peer: cap(120, [['ipv4', true]]), notification: false };
const withN: HelperTerms = { ...helping, notification: true };
const sent = (code: number, subcode: number) => ({ direction: 'sent', code, subcode }) as const;
const received = (code: number, subcode: number) => ({ direction: 'received', code, subcode }) as const;

describe('retainsRoutes', () => {
  test.each<[string, SessionEnd, HelperTerms, boolean]>([
    ['TCP lost, peer capable', { event: 'TcpConnectionFails' }, helping, true],
    ['TCP lost, peer sent no capability', { event: 'TcpConnectionFails' }, { ...helping, peer: undefined }, false],
    ['TCP lost, we do not do graceful restart', { event: 'TcpConnectionFails' }, { ...helping, localEnabled: false }, false],
    ['hold timer expired (our NOTIFICATION does not matter)', { event: 'HoldTimer_Expires', notification: sent(ErrorCode.holdTimerExpired, 0) }, helping, true],
    ['Cease received without N', { event: 'NotifMsg', notification: received(ErrorCode.cease, CeaseSubcode.administrativeReset) }, helping, false],
    ['Cease received with N (RFC 8538)', { event: 'NotifMsg', notification: received(ErrorCode.cease, CeaseSubcode.administrativeReset) }, withN, true],
    ['Hard Reset received with N', { event: 'NotifMsg', notification: received(ErrorCode.cease, CeaseSubcode.hardReset) }, withN, false],
    ['UPDATE error we sent, with N', { event: 'UpdateMsgErr', notification: sent(ErrorCode.update, 1) }, withN, true],
    ['UPDATE error we sent, without N', { event: 'UpdateMsgErr', notification: sent(ErrorCode.update, 1) }, helping, false],
    ['we stopped the session', { event: 'ManualStop', notification: sent(ErrorCode.cease, CeaseSubcode.hardReset) }, withN, false],
    ['we restart ourselves', { event: 'GracefulStop' }, withN, false],
    ['collision loser', { event: 'OpenCollisionDump', notification: sent(ErrorCode.cease, CeaseSubcode.connectionCollisionResolution) }, withN, false],
  ])('%s: %s', (_name, end, terms, expected) => {
    expect(retainsRoutes(end, terms)).toBe(expected);
  });

  test('capabilityFamilies reads AFI/SAFI and F bits, skipping families we do not handle', () => {
    const c = { ...cap(1, [['ipv4', true], ['ipv6', false]]), families: [...cap(1, [['ipv4', true], ['ipv6', false]]).families, { afi: 1, safi: 128, forwardingPreserved: true }] };
    expect(capabilityFamilies(c, false)).toEqual(['ipv4', 'ipv6']);
    expect(capabilityFamilies(c, true)).toEqual(['ipv4']);
    expect(capabilityFamilies(undefined, false)).toEqual([]);
  });
});

const update = (announce: string[], endOfRib?: AddressFamily): UpdateVerdict => ({
  action: 'accept',
  attributes: [{ type: 'origin', value: 'igp' }],
  announce: announce.map(parsePrefix),
  withdraw: [],
  errors: [],
  endOfRib,
});

/** A helper over a RIB holding the given routes, recording what it emits and removes. */
function setup(routes: string[]) {
  const clock = new ManualClock();
  const ribIn = new AdjRibIn();
  ribIn.apply(update(routes));
  const events: HelperEvent[] = [];
  const removed: string[] = [];
  const helper = new GracefulRestartHelper({ clock, ribIn, staleRoutesTime: () => 30, emit: (e) => events.push(e), removed: (p) => removed.push(...p.map(formatPrefix)) });
  const take = () => ({ phases: events.splice(0).map((e) => `${e.phase}${e.family ? ` ${e.family}` : ''} stale=${e.stale} purged=${e.purged}`), removed: removed.splice(0).sort() });
  return { clock, ribIn, helper, take };
}

type Step = [string, (s: ReturnType<typeof setup>) => void, { phases: string[]; removed: string[]; stale: number; active: boolean }];

const fourRoutes = ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32', '2001:db8:1::/48'];

describe('a restart helped through: stale kept, refreshed, End-of-RIB purges the rest', () => {
  const s = setup(fourRoutes);
  const steps: Step[] = [
    ['TCP lost: IPv4 kept stale (listed), IPv6 dropped (not listed), restart timer runs', (x) => x.helper.sessionEnded({ event: 'TcpConnectionFails' }, helping, 'gone'), {
      phases: ['retained stale=3 purged=1'], removed: ['2001:db8:1::/48'], stale: 3, active: true,
    }],
    ['119 s later nothing has happened', (x) => x.clock.advance(119_000), { phases: [], removed: [], stale: 3, active: true }],
    ['the peer is back with F=1: stale routes wait for End-of-RIB', (x) => x.helper.sessionUp(cap(120, [['ipv4', true]])), { phases: ['reconnected stale=3 purged=0'], removed: [], stale: 3, active: true }],
    ['the restart timer no longer fires', (x) => x.clock.advance(5_000), { phases: [], removed: [], stale: 3, active: true }],
    ['two routes sent again are fresh', (x) => x.ribIn.apply(update(['203.0.113.1/32', '203.0.113.2/32'])), { phases: [], removed: [], stale: 1, active: true }],
    ['End-of-RIB for IPv6 touches no IPv4 route', (x) => x.helper.endOfRib('ipv6'), { phases: [], removed: [], stale: 1, active: true }],
    ['End-of-RIB for IPv4 purges the one not sent again, and the restart is over', (x) => x.helper.endOfRib('ipv4'), {
      phases: ['purged ipv4 stale=0 purged=1', 'finished stale=0 purged=0'], removed: ['203.0.113.3/32'], stale: 0, active: false,
    }],
    ['the stale timer was cancelled', (x) => x.clock.advance(60_000), { phases: [], removed: [], stale: 0, active: false }],
  ];
  test.each(steps)('%s', (_name, act, expected) => {
    act(s);
    expect(s.take()).toEqual({ phases: expected.phases, removed: expected.removed });
    expect(s.ribIn.staleCount).toBe(expected.stale);
    expect(s.helper.active).toBe(expected.active);
  });
});

describe('purges without End-of-RIB', () => {
  test.each<[string, (x: ReturnType<typeof setup>) => void, string[], string[]]>([
    ['the restart timer expires before the peer is back', (x) => {
      x.helper.sessionEnded({ event: 'TcpConnectionFails' }, { ...helping, peer: cap(60, [['ipv4', true]]) }, 'gone');
      x.clock.advance(60_000);
    }, ['retained stale=2 purged=0', 'purged stale=0 purged=2', 'finished stale=0 purged=0'], ['203.0.113.1/32', '203.0.113.2/32']],
    ['a restart time of 0 keeps nothing', (x) => x.helper.sessionEnded({ event: 'TcpConnectionFails' }, { ...helping, peer: cap(0, [['ipv4', true]]) }, 'gone'),
      ['retained stale=2 purged=0', 'purged stale=0 purged=2', 'finished stale=0 purged=0'], ['203.0.113.1/32', '203.0.113.2/32']],
    ['the peer comes back with F=0', (x) => {
      x.helper.sessionEnded({ event: 'TcpConnectionFails' }, helping, 'gone');
      x.helper.sessionUp(cap(120, [['ipv4', false]]));
    }, ['retained stale=2 purged=0', 'purged ipv4 stale=0 purged=2', 'finished stale=0 purged=0'], ['203.0.113.1/32', '203.0.113.2/32']],
    ['the peer comes back without the capability', (x) => {
      x.helper.sessionEnded({ event: 'TcpConnectionFails' }, helping, 'gone');
      x.helper.sessionUp(undefined);
    }, ['retained stale=2 purged=0', 'purged stale=0 purged=2', 'finished stale=0 purged=0'], ['203.0.113.1/32', '203.0.113.2/32']],
    ['the peer is back but End-of-RIB never comes: the stale-routes timer (30 s)', (x) => {
      x.helper.sessionEnded({ event: 'TcpConnectionFails' }, helping, 'gone');
      x.helper.sessionUp(cap(120, [['ipv4', true]]));
      x.clock.advance(29_999);
      x.ribIn.apply(update(['203.0.113.1/32']));
      x.clock.advance(1);
    }, ['retained stale=2 purged=0', 'reconnected stale=2 purged=0', 'purged stale=0 purged=1', 'finished stale=0 purged=0'], ['203.0.113.2/32']],
    ['a Hard Reset flushes at once', (x) => x.helper.sessionEnded({ event: 'NotifMsg', notification: received(ErrorCode.cease, CeaseSubcode.hardReset) }, withN, 'reset'),
      ['flushed stale=0 purged=2'], ['203.0.113.1/32', '203.0.113.2/32']],
    ['a peer without graceful restart is flushed with no helper event', (x) => x.helper.sessionEnded({ event: 'TcpConnectionFails' }, { ...helping, peer: undefined }, 'gone'),
      [], ['203.0.113.1/32', '203.0.113.2/32']],
    ['our own graceful stop leaves the routes as they are, with no event and no timer', (x) => x.helper.sessionEnded({ event: 'GracefulStop' }, withN, 'restarting'), [], []],
    ['cancel() (peer removed) stops the restart timer', (x) => {
      x.helper.sessionEnded({ event: 'TcpConnectionFails' }, helping, 'gone');
      x.helper.cancel();
      x.clock.advance(200_000);
    }, ['retained stale=2 purged=0'], []],
  ])('%s', (_name, act, phases, removed) => {
    const x = setup(['203.0.113.1/32', '203.0.113.2/32']);
    act(x);
    expect(x.take()).toEqual({ phases, removed: [...removed].sort() });
    expect(x.clock.armed).toBe(0);
  });
});
