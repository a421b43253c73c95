import { NativeArgumentError } from './errors.js';
import { checkFrame, checkInterfaceName, checkMac, checkMulticastMac, checkProtocols, formatMac } from './packet-args.js';

describe('packet argument checks refuse bad values with a NativeArgumentError naming them', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['empty interface name', () => checkInterfaceName(''), /^native\/packet: interface name "" must be a non-empty string/],
    ['interface name not text', () => checkInterfaceName(3), /interface name 3 must be/],
    ['16-byte interface name', () => checkInterfaceName('a'.repeat(16)), /is longer than 15 bytes/],
    ['slash in interface name', () => checkInterfaceName('eth0/1'), /character Linux refuses/],
    ['space in interface name', () => checkInterfaceName('eth 0'), /character Linux refuses/],
    ['no protocols', () => checkProtocols([]), /protocols must be a non-empty list/],
    ['protocols not a list', () => checkProtocols('arp'), /protocols must be a non-empty list/],
    ['unknown protocol', () => checkProtocols(['arp', 'lldp']), /protocol "lldp" is not one of arp, ndp/],
    ['mac too short', () => checkMac('02:00:00:00:00'), /mac "02:00:00:00:00" is not a MAC address/],
    ['mac with bad digit', () => checkMac('02:00:00:00:00:0g'), /is not a MAC address/],
    ['mac of 5 bytes', () => checkMac(new Uint8Array(5)), /mac is 5 bytes, not 6/],
    ['unicast for membership', () => checkMulticastMac('02:00:5e:00:00:01'), /multicast mac 02:00:5e:00:00:01 is a unicast address/],
    ['frame not bytes', () => checkFrame('ff', 1500), /frame must be a Uint8Array or Buffer/],
    ['frame shorter than a header', () => checkFrame(new Uint8Array(13), 1500), /frame is 13 bytes, shorter than an Ethernet header/],
    ['frame over the MTU', () => checkFrame(new Uint8Array(1515), 1500), /frame is 1515 bytes, more than the interface MTU 1500 \+ 14/],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(NativeArgumentError);
    expect(run).toThrow(message);
  });
});

describe('packet argument checks pass good values through', () => {
  test.each<[string, unknown, number]>([
    ['ARP only', ['arp'], 1],
    ['NDP only', ['ndp'], 2],
    ['both', ['ndp', 'arp'], 3],
    ['repeated', ['arp', 'arp'], 1],
  ])('protocols %s %j -> mask %i', (_name, protocols, mask) => {
    expect(checkProtocols(protocols)).toBe(mask);
  });

  test.each<[unknown, string]>([
    ['02:AB:cd:00:00:01', '02:ab:cd:00:00:01'],
    ['02-ab-cd-00-00-01', '02:ab:cd:00:00:01'],
    [Uint8Array.of(0x33, 0x33, 0xff, 0, 0, 0x10), '33:33:ff:00:00:10'],
  ])('mac %p', (mac, text) => {
    expect(formatMac(checkMac(mac))).toBe(text);
  });

  test('a frame view into a larger buffer keeps its own bytes', () => {
    const big = Uint8Array.from({ length: 100 }, (_, i) => i);
    const frame = checkFrame(big.subarray(10, 60), 1500);
    expect(frame.length).toBe(50);
    expect(frame[0]).toBe(10);
  });

  test('the longest legal interface name and a multicast MAC pass', () => {
    expect(checkInterfaceName('hl-l2r-abcdefgh')).toBe('hl-l2r-abcdefgh');
    expect(formatMac(checkMulticastMac('33:33:ff:00:00:10'))).toBe('33:33:ff:00:00:10');
  });
});
