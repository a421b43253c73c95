import { formatIP, parseCIDR, parseIP } from '@headland/api';
import { familyOfText, parseServiceIP, ServiceIPRange } from './ip-range.js';

const first = (): number => 0;

test.each([
  // cidr, usable addresses, static band, first and last address handed out
  ['198.19.128.0/20', 4094, 256, '198.19.128.1', '198.19.143.254'],
  ['198.19.128.0/24', 254, 16, '198.19.128.1', '198.19.128.254'],
  ['198.19.128.0/28', 14, 0, '198.19.128.1', '198.19.128.14'],
  ['198.19.128.0/30', 2, 0, '198.19.128.1', '198.19.128.2'],
  ['198.19.128.0/31', 0, 0, undefined, undefined],
  ['2001:db8:5e::/112', 65535, 256, '2001:db8:5e::1', '2001:db8:5e::ffff'],
  ['2001:db8:5e::/64', 65535, 256, '2001:db8:5e::1', '2001:db8:5e::ffff'],
  ['2001:db8:5e::/126', 3, 0, '2001:db8:5e::1', '2001:db8:5e::3'],
] as const)('%s hands out %i addresses', (cidr, size, band, lo, hi) => {
  const r = new ServiceIPRange(parseCIDR(cidr), first);
  expect([r.size, r.staticBand]).toEqual([size, band]);
  if (lo === undefined || hi === undefined) return;
  expect(formatIP(r.addressAt(0))).toBe(lo);
  expect(formatIP(r.addressAt(size - 1))).toBe(hi);
});

describe('a /24 in sequence', () => {
  const r = new ServiceIPRange(parseCIDR('198.19.128.0/24'), first);
  test.each([
    ['the network address is not handed out', '198.19.128.0', 'the provided IP (198.19.128.0) is not in the valid range. The range of valid IPs is 198.19.128.0/24'],
    ['nor the broadcast address', '198.19.128.255', 'the provided IP (198.19.128.255) is not in the valid range. The range of valid IPs is 198.19.128.0/24'],
    ['nor an address outside', '198.19.129.1', 'the provided IP (198.19.129.1) is not in the valid range. The range of valid IPs is 198.19.128.0/24'],
    ['nor one of the other family', '2001:db8::1', 'the provided IP (2001:db8::1) is not in the valid range. The range of valid IPs is 198.19.128.0/24'],
    ['the first usable address is', '198.19.128.1', undefined],
    ['but only once', '198.19.128.1', 'provided IP is already allocated'],
    ['the last usable address is', '198.19.128.254', undefined],
  ])('%s', (_name, ip, want) => {
    expect(r.allocate(parseIP(ip))).toBe(want);
  });
  test('a random pick comes from the upper band (above .16)', () => {
    expect(formatIP(r.allocateNext() ?? parseIP('0.0.0.0'))).toBe('198.19.128.17');
    expect(r.allocated()).toEqual(['198.19.128.1', '198.19.128.17', '198.19.128.254']);
  });
  test('release gives an address back; releasing again or outside is a no-op', () => {
    r.release(parseIP('198.19.128.17'));
    r.release(parseIP('198.19.128.17'));
    r.release(parseIP('10.0.0.1'));
    expect(r.has(parseIP('198.19.128.17'))).toBe(false);
    expect(r.used).toBe(2);
  });
});

test('a full range hands out nothing more', () => {
  const r = new ServiceIPRange(parseCIDR('198.19.128.0/30'), first);
  expect([r.allocateNext(), r.allocateNext(), r.allocateNext()].map((ip) => (ip === undefined ? undefined : formatIP(ip)))).toEqual([
    '198.19.128.1',
    '198.19.128.2',
    undefined,
  ]);
});

test.each([
  ['198.19.128.10', '198.19.128.10'],
  ['198.19.128.010', '198.19.128.10'],
  ['::ffff:198.19.128.10', '198.19.128.10'],
  ['2001:DB8:5E::A', '2001:db8:5e::a'],
  ['198.19.128.256', undefined],
  ['198.19.128', undefined],
  ['None', undefined],
  ['', undefined],
  ['2001:db8::1%eth0', undefined],
])('parseServiceIP(%j) reads as Go sloppy parsing does', (text, want) => {
  const ip = parseServiceIP(text);
  expect(ip === undefined ? undefined : formatIP(ip)).toBe(want);
});

test.each([
  ['198.19.128.10', 'IPv4'],
  ['::ffff:198.19.128.10', 'IPv4'],
  ['2001:db8::1', 'IPv6'],
  ['nonsense', undefined],
])('familyOfText(%j)', (text, want) => {
  expect(familyOfText(text)).toBe(want);
});
