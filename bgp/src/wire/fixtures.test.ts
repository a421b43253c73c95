// Hex fixtures commented field by field, laid out the way FRR, BIRD and GoBGP send them.
// Built by hand from the RFCs and each daemon's known layout (FRR and GoBGP put every
// capability in its own optional parameter, BIRD puts all in one); not captured off a wire.

import { hex } from './bytes.js';
import { classicContext, modernContext } from './context.js';
import { decodeMessage, serializeMessage } from './message.js';
import { validateUpdate } from './validate-update.js';
import { peerAsOf } from './open.js';

const FRR_OPEN = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  005b                              # length 91
  01                                # type OPEN
  04                                # version 4
  fde9                              # my AS 65001
  00b4                              # hold time 180
  c6120001                          # BGP identifier 198.18.0.1
  3e                                # optional parameters length 62
  02 06 01 04 0001 00 01            # capability: multiprotocol IPv4 unicast
  02 02 80 00                       # capability: route refresh (Cisco, 128)
  02 02 02 00                       # capability: route refresh (RFC 2918)
  02 02 46 00                       # capability: enhanced route refresh (70)
  02 06 41 04 0000fde9              # capability: 4-octet AS 65001
  02 06 45 04 0001 01 01            # capability: ADD-PATH IPv4 unicast receive (69, kept raw)
  02 0a 49 08 06 726f75746572 00    # capability: FQDN "router", no domain (73, kept raw)
  02 04 40 02 0078                  # capability: graceful restart, no flags, 120 s, no families
  02 02 47 00                       # capability: long-lived graceful restart (71, kept raw)
  02 02 06 00                       # capability: extended message
`);

const BIRD_OPEN = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  003b                              # length 59
  01                                # type OPEN
  04                                # version 4
  fdea                              # my AS 65002
  00f0                              # hold time 240
  c6120002                          # BGP identifier 198.18.0.2
  1e                                # optional parameters length 30
  02 1c                             # one capabilities parameter of 28 octets:
     01 04 0001 00 01               #   multiprotocol IPv4 unicast
     01 04 0002 00 01               #   multiprotocol IPv6 unicast
     02 00                          #   route refresh
     46 00                          #   enhanced route refresh
     40 02 8078                     #   graceful restart, R bit, 120 s
     41 04 0000fdea                 #   4-octet AS 65002
     06 00                          #   extended message
`);

const GOBGP_OPEN = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  0031                              # length 49
  01                                # type OPEN
  04                                # version 4
  5ba0                              # my AS 23456 (AS_TRANS)
  005a                              # hold time 90
  c6120003                          # BGP identifier 198.18.0.3
  14                                # optional parameters length 20
  02 02 02 00                       # capability: route refresh
  02 06 01 04 0001 00 01            # capability: multiprotocol IPv4 unicast
  02 06 41 04 fa56ea00              # capability: 4-octet AS 4200000000
`);

const EXTENDED_PARAMS_OPEN = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  0029                              # length 41
  01 04 fde9 00b4 c6120001          # OPEN, version 4, AS 65001, hold 180, id 198.18.0.1
  ff                                # non-ext OP len 255 ...
  ff                                # ... non-ext OP type 255: RFC 9072 form
  0009                              # extended optional parameters length 9
  02 0006 41 04 0000fde9            # parameter 2 (capabilities), 2-octet length 6: 4-octet AS
`);

const UPDATE_WEIGHTED = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  0059                              # length 89
  02                                # type UPDATE
  0000                              # withdrawn routes length 0
  0039                              # total path attribute length 57
  40 01 01 00                       # ORIGIN (well-known) IGP
  40 02 06 02 01 0000fde9           # AS_PATH: AS_SEQUENCE of 1, AS 65001 (4-octet)
  40 03 04 c6120001                 # NEXT_HOP 198.18.0.1
  c0 08 08 fde90064 ffffff01        # COMMUNITIES 65001:100 NO_EXPORT
  c0 10 08 40 04 fde9 47f42400      # EXTENDED_COMMUNITIES link bandwidth AS 65001, 125000.0 B/s
  c0 20 0c 0000fde9 00000001 00000002  # LARGE_COMMUNITY 65001:1:2
  18 cb0071                         # NLRI 203.0.113.0/24
  20 cb00710a                       # NLRI 203.0.113.10/32
`);

const UPDATE_IPV6 = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  0062                              # length 98
  02                                # type UPDATE
  0000                              # withdrawn routes length 0
  004b                              # total path attribute length 75
  90 0e 0033                        # MP_REACH_NLRI, optional + extended length, 51 octets
     0002 01                        #   AFI IPv6, SAFI unicast
     20                             #   next hop length 32: global + link-local
     20010db8000000000000000000000001  # 2001:db8::1
     fe800000000000000000000000000001  # fe80::1
     00                             #   reserved
     20 20010db8                    #   2001:db8::/32
     40 20010db800000001            #   2001:db8:0:1::/64
  40 01 01 00                       # ORIGIN IGP
  40 02 06 02 01 0000fde9           # AS_PATH 65001
  80 04 04 00000000                 # MULTI_EXIT_DISC 0
`);

const ROUTE_REFRESH_BORR = hex(`
  ffffffffffffffffffffffffffffffff 0017 05  # marker, length 23, ROUTE-REFRESH
  0002 01 01                        # AFI IPv6, subtype 1 (BoRR), SAFI unicast
`);

const NOTIFICATION_SHUTDOWN = hex(`
  ffffffffffffffffffffffffffffffff 001a 03  # marker, length 26, NOTIFICATION
  06 02                             # Cease / Administrative Shutdown
  03 627965 00                      # RFC 8203 data: length 3, "bye", and a trailing octet
`);

describe('OPEN fixtures', () => {
  test('FRR: one parameter per capability, unknown ones kept raw', () => {
    const [open] = decodeMessage(FRR_OPEN, 0, classicContext);
    expect(open).toEqual({
      type: 'open',
      myAs: 65001,
      holdTime: 180,
      identifier: '198.18.0.1',
      capabilities: [
        { type: 'multiprotocol', afi: 1, safi: 1 },
        { type: 'route-refresh-cisco' },
        { type: 'route-refresh' },
        { type: 'enhanced-route-refresh' },
        { type: 'four-octet-as', asn: 65001 },
        { type: 'unknown', code: 69, value: hex('0001 01 01') },
        { type: 'unknown', code: 73, value: hex('06 726f75746572 00') },
        { type: 'graceful-restart', restarting: false, notification: false, restartTime: 120, families: [] },
        { type: 'unknown', code: 71, value: new Uint8Array(0) },
        { type: 'extended-message' },
      ],
    });
  });

  test('BIRD: all capabilities in one parameter, and re-encodes to the same octets', () => {
    const [open] = decodeMessage(BIRD_OPEN, 0, classicContext);
    expect(open.type === 'open' && open.capabilities.map((c) => c.type)).toEqual([
      'multiprotocol', 'multiprotocol', 'route-refresh', 'enhanced-route-refresh', 'graceful-restart', 'four-octet-as', 'extended-message',
    ]);
    expect(open.type === 'open' && open.capabilities[4]).toEqual({ type: 'graceful-restart', restarting: true, notification: false, restartTime: 120, families: [] });
    expect(serializeMessage(open, classicContext)).toEqual(BIRD_OPEN);
  });

  test('GoBGP: AS_TRANS in My AS, the real AS in the 4-octet capability', () => {
    const [open] = decodeMessage(GOBGP_OPEN, 0, classicContext);
    if (open.type !== 'open') throw new Error('not an OPEN');
    expect(open.myAs).toBe(23456);
    expect(peerAsOf(open)).toBe(4200000000);
  });

  test('RFC 9072 extended optional parameters length', () => {
    const [open] = decodeMessage(EXTENDED_PARAMS_OPEN, 0, classicContext);
    expect(open.type === 'open' && open.capabilities).toEqual([{ type: 'four-octet-as', asn: 65001 }]);
  });
});

describe('UPDATE fixtures', () => {
  test('communities, large communities and link bandwidth', () => {
    const [update] = decodeMessage(UPDATE_WEIGHTED, 0, modernContext);
    expect(update).toEqual({
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'origin', value: 'igp' },
        { type: 'as-path', value: [{ type: 'sequence', asns: [65001] }] },
        { type: 'next-hop', value: '198.18.0.1' },
        { type: 'communities', value: [0xfde90064, 0xffffff01] },
        { type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 65001, bytesPerSecond: 125000 }] },
        { type: 'large-communities', value: [{ global: 65001, local1: 1, local2: 2 }] },
      ],
      nlri: [
        { family: 'ipv4', address: '203.0.113.0', length: 24 },
        { family: 'ipv4', address: '203.0.113.10', length: 32 },
      ],
      attributeErrors: [],
    });
    expect(serializeMessage(update, modernContext)).toEqual(UPDATE_WEIGHTED);
  });

  test('IPv6 MP_REACH_NLRI with global and link-local next hop', () => {
    const [update] = decodeMessage(UPDATE_IPV6, 0, modernContext);
    if (update.type !== 'update') throw new Error('not an UPDATE');
    expect(update.attributes[0]).toEqual({
      type: 'mp-reach',
      value: {
        family: 'ipv6',
        nextHop: '2001:db8::1',
        linkLocalNextHop: 'fe80::1',
        nlri: [
          { family: 'ipv6', address: '2001:db8::', length: 32 },
          { family: 'ipv6', address: '2001:db8:0:1::', length: 64 },
        ],
      },
    });
    const verdict = validateUpdate(update, { external: true, peerAs: 65001, enforceFirstAs: true, fourOctetAs: true });
    expect(verdict.action).toBe('accept');
    expect(verdict.announce).toHaveLength(2);
    // Re-encoded without the needless extended length: 1 octet shorter, same meaning.
    const again = serializeMessage(update, modernContext);
    expect(again.length).toBe(UPDATE_IPV6.length - 1);
    expect(decodeMessage(again, 0, modernContext)[0]).toEqual(update);
  });

  test('a 2-octet AS_PATH reads differently without RFC 6793', () => {
    const [update] = decodeMessage(UPDATE_WEIGHTED, 0, classicContext);
    // 02 01 0000fde9 as 2-octet: a segment of one AS 0, then a header "fd e9" of unknown type.
    expect(update.type === 'update' && update.attributeErrors.map((e) => [e.subcode, e.action])).toEqual([[11, 'treat-as-withdraw']]);
  });
});

test('ROUTE-REFRESH BoRR', () => {
  expect(decodeMessage(ROUTE_REFRESH_BORR, 0, classicContext)[0]).toEqual({ type: 'route-refresh', afi: 2, safi: 1, subtype: 1 });
});

test('NOTIFICATION Cease with shutdown communication data', () => {
  expect(decodeMessage(NOTIFICATION_SHUTDOWN, 0, classicContext)[0]).toEqual({
    type: 'notification',
    code: 6,
    subcode: 2,
    data: hex('03 627965 00'),
  });
});
