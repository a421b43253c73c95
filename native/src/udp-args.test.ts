import { NativeArgumentError } from './errors.js';
import { checkUdpAddress, checkUdpSend, checkUdpSocketOptions } from './udp-args.js';

describe('UDP argument checks refuse bad values with a NativeArgumentError naming them', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['options null', () => checkUdpSocketOptions(null), /^native\/udp: socket options must be an object/],
    ['no address', () => checkUdpSocketOptions({}), /^native\/udp: address undefined is not an IPv4 or IPv6 address/],
    ['hostname', () => checkUdpSocketOptions({ address: 'localhost' }), /address "localhost" is not an IPv4/],
    ['address with prefix', () => checkUdpSocketOptions({ address: '127.0.0.1/8' }), /address "127.0.0.1\/8" is not/],
    ['IPv4 with a zone', () => checkUdpAddress('127.0.0.1%lo', 'address'), /address "127.0.0.1%lo" is not/],
    ['port 65536', () => checkUdpSocketOptions({ address: '::', port: 65536 }), /port 65536 is not 0..65535/],
    ['port as text', () => checkUdpSocketOptions({ address: '::', port: '3784' }), /port "3784" is not 0..65535/],
    ['ttl 0', () => checkUdpSocketOptions({ address: '::', ttl: 0 }), /ttl 0 is not 1..255/],
    ['ttl 256', () => checkUdpSocketOptions({ address: '::', ttl: 256 }), /ttl 256 is not 1..255/],
    ['fractional ttl', () => checkUdpSocketOptions({ address: '::', ttl: 1.5 }), /ttl 1.5 is not/],
    ['reuseAddress as text', () => checkUdpSocketOptions({ address: '::', reuseAddress: 'yes' }), /reuseAddress "yes" must be true or false/],
    ['empty device', () => checkUdpSocketOptions({ address: '::', device: '' }), /device "" is not an interface name/],
    ['16-byte device', () => checkUdpSocketOptions({ address: '::', device: 'a'.repeat(16) }), /is not an interface name/],
    ['device with a slash', () => checkUdpSocketOptions({ address: '::', device: 'eth0/1' }), /device "eth0\/1" is not an interface name/],
    ['data as text', () => checkUdpSend(4, 'hello', '127.0.0.1', 3784), /^native\/udp: data must be a Uint8Array or Buffer/],
    ['IPv4 datagram too big', () => checkUdpSend(4, new Uint8Array(65_508), '127.0.0.1', 3784), /data is 65508 bytes, more than an IPv4 UDP datagram holds \(65507\)/],
    ['IPv6 datagram too big', () => checkUdpSend(6, new Uint8Array(65_528), '::1', 3784), /more than an IPv6 UDP datagram holds \(65527\)/],
    ['IPv6 destination on IPv4', () => checkUdpSend(4, new Uint8Array(24), '::1', 3784), /destination "::1" is not an IPv4 address, as the socket is/],
    ['IPv4 destination on IPv6', () => checkUdpSend(6, new Uint8Array(24), '127.0.0.1', 3784), /destination "127.0.0.1" is not an IPv6 address/],
    ['destination port 0', () => checkUdpSend(4, new Uint8Array(24), '127.0.0.1', 0), /destination port 0 is not 1..65535/],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(NativeArgumentError);
    expect(run).toThrow(message);
  });
});

describe('UDP argument checks pass good values through', () => {
  test.each<[string, unknown, object]>([
    ['defaults: any port, system TTL, SO_REUSEADDR, no device', { address: '0.0.0.0' }, { family: 4, address: '0.0.0.0', port: 0, ttl: 0, reuseAddress: true, device: '' }],
    ['BFD single hop', { address: '127.0.0.1', port: 3784, ttl: 255 }, { family: 4, port: 3784, ttl: 255 }],
    ['IPv6 with everything', { address: '::1', port: 49152, ttl: 1, reuseAddress: false, device: 'lo' }, { family: 6, port: 49152, ttl: 1, reuseAddress: false, device: 'lo' }],
    ['IPv6 link-local with a zone', { address: 'fe80::1%eth0' }, { family: 6, address: 'fe80::1%eth0' }],
  ])('%s', (_name, options, expected) => {
    expect(checkUdpSocketOptions(options)).toMatchObject(expected);
  });

  test('a payload view into a larger buffer keeps its own bytes', () => {
    const big = Uint8Array.from({ length: 100 }, (_, i) => i);
    const data = checkUdpSend(6, big.subarray(10, 34), 'fe80::2%eth0', 3784);
    expect([data.length, data[0]]).toEqual([24, 10]);
  });
});
