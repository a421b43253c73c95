// Messages captured off the wire from FRR, BIRD and GoBGP in the bgp-interop labs
// (scripts/capture-bgp-fixtures.mjs writes fixtures/*.hex): each decodes, its fields are
// what the router was configured to send, and it re-encodes to the same bytes where the
// router's encoding is the canonical one (else to the same meaning).

import { readFileSync } from 'node:fs';
import { hex } from './bytes.js';
import { classicContext, modernContext, type WireContext } from './context.js';
import { decodeMessage, serializeMessage, type DecodedMessage } from './message.js';
import { formatPrefix } from './nlri.js';
import type { DecodedUpdate } from './update.js';
import { endOfRibFamily, validateUpdate, type UpdateVerdict } from './validate-update.js';
import { formatAsPath, formatCommunity, formatExtendedCommunity } from './format.js';
import type { PathAttribute } from './attributes/table.js';

type Router = 'frr' | 'bird' | 'gobgp';

function fixtures(router: Router): Map<string, Uint8Array> {
  const text = readFileSync(new URL(`./fixtures/${router}.hex`, import.meta.url), 'utf8');
  const out = new Map<string, Uint8Array>();
  for (const section of text.split(/^== /m).slice(1)) {
    const [title = '', ...body] = section.split('\n');
    out.set(title.split('  (')[0]!.trim(), hex(body.join('\n')));
  }
  return out;
}

const all = { frr: fixtures('frr'), bird: fixtures('bird'), gobgp: fixtures('gobgp') };
const contextOf = (name: string): WireContext => (name.startsWith('v4-as2') ? classicContext : modernContext);
const decode = (router: Router, name: string): DecodedMessage => {
  const bytes = all[router].get(name);
  if (!bytes) throw new Error(`captured: no fixture "${name}" for ${router}`);
  const [message, end] = decodeMessage(bytes, 0, contextOf(name));
  expect(end).toBe(bytes.length);
  return message;
};

const ROUTER_ADDRESS: Record<string, string> = { 'v4-ebgp': '198.18.210.1', 'v4-ibgp': '198.18.210.2', 'v4-as2': '198.18.210.3', 'v6-ebgp': '2001:db8:d210::1', 'v6-ibgp': '2001:db8:d210::2' };
const LAB_PREFIXES = /^(198\.18\.22[01]\.0\/24|2001:db8:d220::\/64|203\.0\.113\.1[1-3]\/32|2001:db8:5::1[12]\/128)$/;

/** Judged the way the session judges it (iBGP or eBGP, 2- or 4-octet). */
function judge(name: string, message: DecodedMessage): UpdateVerdict {
  expect(message.type).toBe('update');
  const ibgp = name.includes('ibgp');
  const verdict = validateUpdate(message as DecodedUpdate, { external: !ibgp, peerAs: 64601, enforceFirstAs: true, fourOctetAs: !name.startsWith('v4-as2') });
  expect(verdict.errors).toEqual([]);
  return verdict;
}

/** The attributes as the routers' CLIs show them. */
function shown(attributes: readonly PathAttribute[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of attributes) {
    if (a.type === 'origin') out.origin = a.value;
    else if (a.type === 'as-path') out.asPath = formatAsPath(a.value);
    else if (a.type === 'next-hop') out.nextHop = a.value;
    else if (a.type === 'multi-exit-disc') out.med = a.value;
    else if (a.type === 'local-pref') out.localPref = a.value;
    else if (a.type === 'communities') out.communities = a.value.map(formatCommunity);
    else if (a.type === 'large-communities') out.largeCommunities = a.value.map((c) => `${c.global}:${c.local1}:${c.local2}`);
    else if (a.type === 'extended-communities') out.extendedCommunities = a.value.map(formatExtendedCommunity);
    else if (a.type === 'mp-reach') out.mpReach = { family: a.value.family, nextHop: a.value.nextHop, linkLocal: a.value.linkLocalNextHop !== undefined, nlri: a.value.nlri.map(formatPrefix) };
  }
  return out;
}

const ROUTERS: Router[] = ['frr', 'bird', 'gobgp'];
const SESSIONS = ['v4-ebgp', 'v4-ibgp', 'v6-ebgp', 'v6-ibgp'] as const;

describe('every captured message', () => {
  const cases = ROUTERS.flatMap((router) => [...all[router].keys()].map((name) => [router, name] as const));
  test('there are captures from all three routers', () => {
    for (const router of ROUTERS) expect(all[router].size).toBeGreaterThanOrEqual(12);
  });

  // Where a router's bytes differ from ours, the reason is written here and checked to hold.
  const notCanonical = (router: Router, name: string, bytes: Uint8Array): string | undefined => {
    if (router === 'frr' && name.includes('open') && !name.startsWith('v4-as2')) return 'FRR puts each capability in its own optional parameter';
    if (bytes[18] === 2 && hasShortExtendedLength(bytes)) return 'Extended Length flag on an attribute shorter than 256 octets';
    return undefined;
  };

  test.each(cases)('%s %s decodes, and re-encodes to the same bytes or the same meaning', (router, name) => {
    const bytes = all[router].get(name)!;
    const message = decode(router, name);
    if (message.type === 'update') expect(message.attributeErrors).toEqual([]);
    const again = serializeMessage(message, contextOf(name));
    const reason = notCanonical(router, name, bytes);
    if (reason === undefined) expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    else expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(false);
    expect(decodeMessage(again, 0, contextOf(name))[0]).toEqual(message);
  });
});

/** Whether an UPDATE carries an attribute with the Extended Length bit and a length below 256. */
function hasShortExtendedLength(bytes: Uint8Array): boolean {
  const view = Buffer.from(bytes);
  const withdrawn = view.readUInt16BE(19);
  const start = 23 + withdrawn;
  const end = start + view.readUInt16BE(21 + withdrawn);
  for (let at = start; at < end; ) {
    const extended = (view[at]! & 0x10) !== 0;
    const length = extended ? view.readUInt16BE(at + 2) : view[at + 2]!;
    if (extended && length < 256) return true;
    at += (extended ? 4 : 3) + length;
  }
  return false;
}

describe.each(ROUTERS)('%s', (router) => {
  test.each(SESSIONS)('%s OPEN: AS 64601, hold time 9, router id, 4-octet AS and the session family', (session) => {
    const open = decode(router, `${session} open`);
    if (open.type !== 'open') throw new Error('not an OPEN');
    expect(open).toMatchObject({ myAs: 64601, holdTime: 9, identifier: '198.18.210.1' });
    expect(open.capabilities).toContainEqual({ type: 'four-octet-as', asn: 64601 });
    expect(open.capabilities).toContainEqual({ type: 'multiprotocol', afi: session.startsWith('v4') ? 1 : 2, safi: 1 });
    expect(open.capabilities.some((c) => c.type === 'route-refresh')).toBe(true);
  });

  test.each(SESSIONS)("%s UPDATE: the router's route with the attributes it was given", (session) => {
    const family = session.startsWith('v4') ? 'ipv4' : 'ipv6';
    const verdict = judge(session, decode(router, `${session} update-${family === 'ipv4' ? 'v4' : 'v6'}`));
    const ibgp = session.endsWith('ibgp');
    const prefix = family === 'ipv4' ? '198.18.220.0/24' : '2001:db8:d220::/64';
    expect(verdict.announce.map(formatPrefix)).toEqual([prefix]);
    const attributes = shown(verdict.attributes);
    expect(attributes).toMatchObject({
      // GoBGP's routes come from `gobgp global rib add`, which marks them incomplete.
      origin: router === 'gobgp' ? 'incomplete' : 'igp',
      asPath: ibgp ? '' : '64601',
      med: 70,
      communities: ['64601:7'],
      largeCommunities: ['64601:7:8'],
      ...(ibgp ? { localPref: 170 } : {}),
    });
    if (!ibgp) expect(attributes.localPref).toBeUndefined();
    // Link bandwidth is non-transitive: only iBGP gets it, and GoBGP's routes carry none.
    expect(attributes.extendedCommunities).toEqual(ibgp && router !== 'gobgp' ? ['LB:64601:1000000'] : undefined);
    if (family === 'ipv4') expect(attributes.nextHop).toBe(ROUTER_ADDRESS[session]);
    // BIRD and FRR add the link-local address on a shared link; GoBGP does not.
    else expect(attributes.mpReach).toEqual({ family: 'ipv6', nextHop: ROUTER_ADDRESS[session], linkLocal: router !== 'gobgp', nlri: [prefix] });
  });

  test.each(SESSIONS)('%s withdraw: lab prefixes of the session family only', (session) => {
    const family = session.startsWith('v4') ? 'ipv4' : 'ipv6';
    const verdict = judge(session, decode(router, `${session} withdraw-${family === 'ipv4' ? 'v4' : 'v6'}`));
    expect(verdict.announce).toEqual([]);
    expect(verdict.withdraw.length).toBeGreaterThan(0);
    for (const prefix of verdict.withdraw) {
      expect(prefix.family).toBe(family);
      expect(formatPrefix(prefix)).toMatch(LAB_PREFIXES);
    }
  });

  test('KEEPALIVE and the Cease / Administrative Shutdown NOTIFICATION', () => {
    expect(decode(router, 'keepalive')).toEqual({ type: 'keepalive' });
    expect(decode(router, 'notification')).toMatchObject({ type: 'notification', code: 6, subcode: 2 });
  });
});

describe('end-of-rib and route-refresh', () => {
  test.each([
    ['bird', 'v4-ebgp end-of-rib-v4', 'ipv4'],
    ['bird', 'v6-ebgp end-of-rib-v6', 'ipv6'],
    ['bird', 'v6-ibgp end-of-rib-v6', 'ipv6'],
  ] as const)('%s %s is the End-of-RIB of %s', (router, name, family) => {
    expect(endOfRibFamily(decode(router, name) as DecodedUpdate)).toBe(family);
  });

  test.each(['frr', 'bird'] as const)('%s ROUTE-REFRESH asks for IPv4 unicast', (router) => {
    expect(decode(router, 'route-refresh')).toMatchObject({ type: 'route-refresh', afi: 1, safi: 1 });
  });
});

describe('FRR as a 2-octet speaker (RFC 6793)', () => {
  test('its OPEN carries no capabilities at all', () => {
    expect(decode('frr', 'v4-as2 open')).toMatchObject({ type: 'open', myAs: 64601, capabilities: [] });
  });

  test('AS_TRANS in AS_PATH with AS4_PATH beside it merges into the real path', () => {
    const message = decode('frr', 'v4-as2 update-v4-as4-path') as DecodedUpdate;
    expect(shown(message.attributes).asPath).toBe('64601 23456');
    const verdict = judge('v4-as2', message);
    expect(verdict.announce.map(formatPrefix)).toEqual(['198.18.221.0/24']);
    expect(shown(verdict.attributes).asPath).toBe('64601 4200000099');
    expect(verdict.attributes.some((a) => a.type === 'as4-path')).toBe(false);
  });
});
