import * as api from '@headland/api';

test('the package exports the IP math', () => {
  for (const name of ['parseIP', 'isValidIP', 'formatIP', 'compareIP', 'isIPv4MappedIPv6', 'parseCIDR', 'parseRange', 'parsePoolEntry', 'rangeSize', 'rangesOverlap', 'rangeContains', 'formatRange', 'rangeToCIDRs', 'prefixOf', 'largestPrefixCovering', 'IPSet', 'IPParseError', 'FAMILY_BITS', 'ipToBytes', 'ipFromBytes']) {
    expect(api).toHaveProperty(name);
  }
  expect(api.IPSet.from([api.parsePoolEntry('203.0.113.0/24')]).size(4)).toBe(256n);
});
