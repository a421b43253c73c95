import { FAMILY_BITS, IPParseError, compareIP, formatIP, isIPv4MappedIPv6, isValidIP, makeIP, parseIP, type IPAddress } from './address.js';

const v4 = (value: bigint): IPAddress => ({ family: 4, value });
const v6 = (value: bigint): IPAddress => ({ family: 6, value });

describe('parseIP accepts', () => {
  test.each([
    ['0.0.0.0', v4(0n)],
    ['255.255.255.255', v4(0xffffffffn)],
    ['192.0.2.1', v4(0xc0000201n)],
    ['10.0.0.0', v4(0x0a000000n)],
    ['::', v6(0n)],
    ['::1', v6(1n)],
    ['1::', v6(1n << 112n)],
    ['::ffff:1.2.3.4', v6(0xffff01020304n)],
    ['::FFFF:1.2.3.4', v6(0xffff01020304n)],
    ['::1.2.3.4', v6(0x01020304n)],
    ['64:ff9b::192.0.2.33', v6((0x64n << 112n) | (0xff9bn << 96n) | 0xc0000221n)],
    ['1:2:3:4:5:6:1.2.3.4', v6(0x0001000200030004000500060102_0304n)],
    ['2001:db8::1:0:0:1', v6(0x20010db8000000000001000000000001n)],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', v6(0x20010db8000000000001000000000001n)],
    ['2001:DB8::ABCD', v6((0x20010db8n << 96n) | 0xabcdn)],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', v6((1n << 128n) - 1n)],
    ['1:2:3:4:5:6:7::', v6(0x00010002000300040005000600070000n)],
    ['::2:3:4:5:6:7:8', v6(0x00000002000300040005000600070008n)],
    ['1:2:3:4:5:6:7:8', v6(0x00010002000300040005000600070008n)],
  ])('%s', (text, expected) => {
    expect(parseIP(text)).toEqual(expected);
    expect(isValidIP(text)).toBe(true);
  });
});

describe('parseIP rejects with a message naming the text and the fault', () => {
  test.each([
    ['', /is empty/],
    ['1.2.3', /exactly 4 .* found 3/],
    ['1.2.3.4.', /exactly 4 .* found 5/],
    ['1.2.3.4.5', /found 5/],
    ['1..3.4', /empty part/],
    ['0x7f.0.0.1', /"0x7f" is not decimal/],
    ['010.0.0.1', /"010" has a leading zero/],
    ['00.0.0.1', /leading zero/],
    ['256.0.0.1', /"256" is greater than 255/],
    ['1000.0.0.1', /"1000" is greater than 255/],
    ['-1.0.0.1', /not decimal/],
    ['+1.0.0.1', /not decimal/],
    ['1.2.3.4 ', /whitespace/],
    [' 1.2.3.4', /whitespace/],
    ['1.2.3.4\n', /whitespace/],
    ['fe80::1%eth0', /zones/],
    ['192.0.2.0/24', /prefix length/],
    ['localhost', /neither/],
    ['1234', /neither/],
    [':::', /':::'/],
    ['1:::2', /':::'/],
    ['1::2::3', /only once/],
    ['::1::', /only once/],
    ['1:2:3:4:5:6:7:8:9', /9 groups/],
    ['1:2:3:4:5:6:7', /7 groups/],
    ['1:2:3:4:5:6:7:8::', /at least one zero group, but 8/],
    ['::1:2:3:4:5:6:7:8', /at least one zero group, but 8/],
    ['1:2:3::4:5:6:7:8', /at least one zero group, but 8/],
    ['1:2:3:4:5:6::1.2.3.4', /at least one zero group, but 8/],
    [':1:2:3:4:5:6:7', /empty group/],
    ['1:2:3:4:5:6:7:', /empty group/],
    [':1::', /empty group/],
    ['1::2:', /empty group/],
    ['12345::', /"12345" is not 1 to 4 hex digits/],
    ['g::', /"g" is not 1 to 4 hex digits/],
    ['::1.2.3.4:1', /only as the last part/],
    ['1.2.3.4::', /only as the last part/],
    ['::ffff:1.2.3', /embedded IPv4 needs exactly 4/],
    ['::ffff:1.2.3.256', /embedded IPv4 part "256"/],
    ['::ffff:01.2.3.4', /embedded IPv4 part "01" has a leading zero/],
    ['1:2:3:4:5:6:7:8:1.2.3.4', /10 groups/],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', /longer than any address/],
  ])('%j', (text, reason) => {
    expect(isValidIP(text)).toBe(false);
    let caught: unknown;
    try {
      parseIP(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IPParseError);
    const message = (caught as Error).message;
    expect(message.startsWith(`ip: ${JSON.stringify(text.slice(0, 64))}`)).toBe(true);
    expect(message).toMatch(reason);
  });

  test.each([[undefined], [null], [42], [{}]])('non-string %p', (input) => {
    expect(isValidIP(input as unknown as string)).toBe(false);
    expect(() => parseIP(input as unknown as string)).toThrow(/^ip: .*not a string/);
  });

  test('a huge input is cut short in the message', () => {
    const huge = '1'.repeat(1_000_000);
    expect(() => parseIP(huge)).toThrow(IPParseError);
    try {
      parseIP(huge);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });
});

describe('formatIP', () => {
  // RFC 5952 section 4 and 5, each row also round-trips through parseIP.
  test.each([
    ['0.0.0.0', v4(0n)],
    ['192.0.2.1', v4(0xc0000201n)],
    ['255.255.255.255', v4(0xffffffffn)],
    ['::', v6(0n)],
    ['::1', v6(1n)],
    ['1::', v6(1n << 112n)],
    ['2001:db8::1:0:0:1', v6(0x20010db8000000000001000000000001n)],
    ['2001:db8:0:1:1:1:1:1', v6(0x20010db8000000010001000100010001n)], // 4.2.2: no :: for one group
    ['2001:0:0:1::1', v6(0x20010000000000010000000000000001n)], // 4.2.3: the longer run wins
    ['2001:db8:0:0:1::', v6(0x20010db8000000000001000000000000n)], // the later, longer run wins
    ['2001:db8::abcd', v6(0x20010db800000000000000000000abcdn)],
    ['1::2:0:0:3:4', v6(0x00010000000000020000000000030004n)], // 4.2.3: a tie goes to the first run
    ['1:2:3:4:5:6:7:8', v6(0x00010002000300040005000600070008n)],
    ['::ffff:192.0.2.1', v6(0xffffc0000201n)], // section 5
    ['::ffff:0.0.0.0', v6(0xffff00000000n)],
    ['::102:304', v6(0x01020304n)], // deprecated IPv4-compatible form is plain hex
    ['fe80::', v6(0xfe80n << 112n)],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', v6((1n << 128n) - 1n)],
  ])('%s', (text, address) => {
    expect(formatIP(address)).toBe(text);
    expect(parseIP(text)).toEqual(address);
  });

  test.each([
    ['2001:0DB8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
    ['::FFFF:C000:201', '::ffff:192.0.2.1'],
  ])('%s is canonically %s', (input, canonical) => {
    expect(formatIP(parseIP(input))).toBe(canonical);
  });

  test.each([
    [{ family: 4, value: 1n << 32n }, /out of range for IPv4/],
    [{ family: 6, value: -1n }, /out of range for IPv6/],
    [{ family: 5, value: 1n }, /family 5 is not 4 or 6/],
    [{ family: 4, value: 1 }, /not a bigint/],
  ])('rejects %p', (address, reason) => {
    expect(() => formatIP(address as unknown as IPAddress)).toThrow(reason);
    expect(() => formatIP(address as unknown as IPAddress)).toThrow(/^ip: cannot format/);
  });
});

describe('IPv4-mapped IPv6', () => {
  test('is an IPv6 value distinct from the IPv4 address', () => {
    const mapped = parseIP('::ffff:192.0.2.1');
    const plain = parseIP('192.0.2.1');
    expect(mapped.family).toBe(6);
    expect(mapped).not.toEqual(plain);
    expect(compareIP(mapped, plain)).toBeGreaterThan(0);
    expect(mapped.value & 0xffffffffn).toBe(plain.value);
  });

  test.each([
    ['::ffff:192.0.2.1', true],
    ['::ffff:0.0.0.0', true],
    ['::ffff:255.255.255.255', true],
    ['192.0.2.1', false],
    ['::192.0.2.1', false],
    ['1::ffff:192.0.2.1', false],
    ['::fffe:192.0.2.1', false],
    ['::1:ffff:192.0.2.1', false],
  ])('%s mapped: %p', (text, mapped) => {
    expect(isIPv4MappedIPv6(parseIP(text))).toBe(mapped);
  });
});

describe('compareIP', () => {
  test.each([
    ['192.0.2.1', '192.0.2.2', -1],
    ['192.0.2.2', '192.0.2.1', 1],
    ['192.0.2.1', '192.0.2.1', 0],
    ['255.255.255.255', '::', -1],
    ['::', '0.0.0.0', 1],
    ['2001:db8::1', '2001:db8::1', 0],
    ['2001:db8::ffff', '2001:db8::1:0', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareIP(parseIP(a), parseIP(b)))).toBe(sign);
  });

  test('sorts a mixed list', () => {
    const sorted = ['2001:db8::1', '10.0.0.1', '::', '9.255.255.255'].map(parseIP).sort(compareIP).map(formatIP);
    expect(sorted).toEqual(['9.255.255.255', '10.0.0.1', '::', '2001:db8::1']);
  });
});

describe('makeIP', () => {
  test('builds in-range addresses', () => {
    expect(makeIP(6, (1n << 128n) - 1n)).toEqual(v6((1n << 128n) - 1n));
    expect(makeIP(4, 0n)).toEqual(v4(0n));
  });
  test.each([
    [4, 1n << 32n],
    [6, 1n << 128n],
    [4, -1n],
  ] as const)('rejects family %p value %p', (family, value) => {
    expect(() => makeIP(family, value)).toThrow(/^ip: value .* out of range/);
  });
});

test('FAMILY_BITS', () => {
  expect(FAMILY_BITS).toEqual({ 4: 32, 6: 128 });
});
