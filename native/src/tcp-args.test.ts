import { NativeArgumentError } from './errors.js';
import { checkAddress, checkFd, checkMd5Key, checkMinTtl, checkPort, checkPrefixLength, checkTcpSocketOptions, checkTtl } from './tcp-args.js';

describe('argument checks refuse bad values with a NativeArgumentError naming them', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['negative fd', () => checkFd(-1), /^native\/tcp: fd -1 is not a file descriptor/],
    ['fractional fd', () => checkFd(3.5), /fd 3.5 is not/],
    ['fd as text', () => checkFd('3'), /fd "3" is not/],
    ['huge fd', () => checkFd(2 ** 31), /is not a file descriptor/],
    ['hostname', () => checkAddress('router.example', 'peer'), /^native\/tcp: peer "router.example" is not an IPv4 or IPv6 address/],
    ['address with prefix', () => checkAddress('198.18.0.1/32', 'peer'), /is not an IPv4 or IPv6/],
    ['number address', () => checkAddress(1, 'localAddress'), /localAddress 1 is not/],
    ['empty key', () => checkMd5Key(''), /MD5 key must be a non-empty string/],
    ['key not text', () => checkMd5Key(Buffer.from('x')), /MD5 key must be a non-empty string/],
    ['81-byte key', () => checkMd5Key('k'.repeat(81)), /is 81 bytes, more than the kernel's 80/],
    ['key long in UTF-8', () => checkMd5Key('é'.repeat(41)), /is 82 bytes/],
    ['IPv4 prefix 33', () => checkPrefixLength(33, 4), /prefix length 33 is not 0..32/],
    ['IPv6 prefix 129', () => checkPrefixLength(129, 6), /prefix length 129 is not 0..128/],
    ['negative prefix', () => checkPrefixLength(-1, 4), /prefix length -1/],
    ['ttl 0', () => checkTtl(0), /ttl 0 is not 1..255/],
    ['ttl 256', () => checkTtl(256), /ttl 256 is not 1..255/],
    ['ttl NaN', () => checkTtl(Number.NaN), /ttl NaN/],
    ['min ttl 256', () => checkMinTtl(256), /minimum ttl 256 is not 0..255/],
    ['min ttl -1', () => checkMinTtl(-1), /minimum ttl -1/],
    ['port 65536', () => checkPort(65536), /port 65536 is not 0..65535/],
    ['options null', () => checkTcpSocketOptions(null), /socket options must be an object/],
    ['options without peer', () => checkTcpSocketOptions({}), /peer undefined is not an IPv4/],
    ['families differ', () => checkTcpSocketOptions({ peer: '198.18.0.1', localAddress: '2001:db8::1' }), /localAddress "2001:db8::1" is not of the peer's family \(IPv4\)/],
    ['bad ttl in options', () => checkTcpSocketOptions({ peer: '198.18.0.1', ttl: 300 }), /ttl 300/],
    ['bad key in options', () => checkTcpSocketOptions({ peer: '198.18.0.1', md5Key: 7 }), /MD5 key/],
  ])('%s', (_name, run, message) => {
    expect(run).toThrow(NativeArgumentError);
    expect(run).toThrow(message);
  });
});

describe('argument checks pass good values through', () => {
  test.each<[string, () => unknown, unknown]>([
    ['fd 0', () => checkFd(0), 0],
    ['IPv4', () => checkAddress('198.18.0.1', 'peer'), 4],
    ['IPv6', () => checkAddress('2001:db8::1', 'peer'), 6],
    ['key bytes', () => checkMd5Key('héllo'), Buffer.from('héllo', 'utf8')],
    ['80-byte key', () => checkMd5Key('k'.repeat(80)).length, 80],
    ['prefix 0', () => checkPrefixLength(0, 6), 0],
    ['ttl 255', () => checkTtl(255), 255],
    ['min ttl 0 (off)', () => checkMinTtl(0), 0],
    ['port 179', () => checkPort(179), 179],
  ])('%s', (_name, run, expected) => expect(run()).toEqual(expected));

  test('socket options', () => {
    expect(checkTcpSocketOptions({ peer: '2001:db8::2', localAddress: '2001:db8::1', md5Key: 'k', ttl: 2, minTtl: 254 })).toEqual({
      family: 6,
      peer: '2001:db8::2',
      localAddress: '2001:db8::1',
      md5Key: Buffer.from('k'),
      ttl: 2,
      minTtl: 254,
    });
  });
});
