import { countsMatch, poolCounts } from './pool-status.js';

test('a /64 counts exactly, as a decimal string', () => {
  const c = poolCounts({ 4: { assigned: 3n, available: 253n, total: 256n }, 6: { assigned: 1n, available: 2n ** 64n - 1n, total: 2n ** 64n } });
  expect(c).toEqual({ assignedIPv4: 3, assignedIPv6: 1, availableIPv4: '253', availableIPv6: '18446744073709551615' });
  expect(countsMatch({ status: c }, c)).toBe(true);
  expect(countsMatch({ status: { ...c, assignedIPv4: 2 } }, c)).toBe(false);
  expect(countsMatch({}, c)).toBe(false);
});

test('a pool the allocator does not know counts zero', () => {
  expect(poolCounts(undefined)).toEqual({ assignedIPv4: 0, assignedIPv6: 0, availableIPv4: '0', availableIPv6: '0' });
});
