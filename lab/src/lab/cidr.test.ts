import { contains, firstHost, formatAddress, formatPrefix, isLabAddress, isLabPrefix, isNetwork, parseAddress, parsePrefix, type Prefix } from './cidr.js';

const p = (t: string) => parsePrefix(t) as Prefix;

describe('cidr', () => {
  test.each([
    ['198.18.0.1', '198.18.0.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['::ffff:198.18.0.1', '::ffff:c612:1'],
    ['2001:db8:ff00::', '2001:db8:ff00::'],
    ['::', '::'],
  ])('%s formats as %s', (text, formatted) => {
    const a = parseAddress(text);
    expect(typeof a).toBe('object');
    expect(formatAddress(a as Exclude<typeof a, string>)).toBe(formatted);
  });

  test.each(['198.18.0.256', '1.2.3', '2001:db8::g', 'fe80::1%eth0', '', 'abc'])('%j is not an address', (text) => {
    expect(typeof parseAddress(text)).toBe('string');
  });

  test.each([
    ['198.18.0.1/24', '198.18.0.1/24'],
    ['198.18.0.1', '198.18.0.1/32'],
    ['2001:db8::/32', '2001:db8::/32'],
  ])('prefix %s -> %s', (text, out) => {
    expect(formatPrefix(p(text))).toBe(out);
  });

  test.each(['198.18.0.1/33', '2001:db8::/129', '198.18.0.1/', '198.18.0.1/a', '198.18.0.1/-1'])('prefix %j is refused', (text) => {
    expect(typeof parsePrefix(text)).toBe('string');
  });

  test.each([
    ['198.18.0.1', true],
    ['198.19.254.9', true],
    ['198.19.255.9', false], // mgmt
    ['203.0.113.10', true],
    ['10.0.0.1', false],
    ['2001:db8:1::1', true],
    ['2001:db9::1', false],
    ['192.0.2.1', false],
  ])('isLabAddress(%s) = %s', (text, expected) => {
    expect(isLabAddress(p(text))).toBe(expected);
  });

  test.each([
    ['198.18.0.0/16', true],
    ['198.18.0.0/15', false], // holds the mgmt subnet
    ['198.18.0.0/14', false],
    ['198.19.0.0/16', false], // holds the mgmt subnet
    ['203.0.113.0/24', true],
    ['2001:db8::/32', true],
    ['2001:db8::/31', false],
  ])('isLabPrefix(%s) = %s', (text, expected) => {
    expect(isLabPrefix(p(text))).toBe(expected);
  });

  test('network, containment and first host', () => {
    expect(isNetwork(p('198.18.101.0/24'))).toBe(true);
    expect(isNetwork(p('198.18.101.1/24'))).toBe(false);
    expect(contains(p('198.18.101.0/24'), p('198.18.101.200'))).toBe(true);
    expect(contains(p('198.18.101.0/24'), p('198.18.102.1'))).toBe(false);
    expect(contains(p('198.18.101.0/24'), p('2001:db8::1'))).toBe(false);
    expect(formatAddress(firstHost(p('2001:db8:ff65::/64')))).toBe('2001:db8:ff65::1');
    expect(formatAddress(firstHost(p('198.18.101.0/24')))).toBe('198.18.101.1');
  });
});
