// Display of decoded messages.

import { hex } from './bytes.js';
import { formatCommunity, formatMessage, messageToJson } from './format.js';
import { parsePrefix } from './nlri.js';

test.each([
  [0xfde90064, '65001:100'],
  [0xffffff01, 'NO_EXPORT'],
  [0xffff029a, 'BLACKHOLE'],
  [0xffff0000, 'GRACEFUL_SHUTDOWN'],
  [0xffff0006, 'LLGR_STALE'],
])('community %i is %s', (value, text) => {
  expect(formatCommunity(value)).toBe(text);
});

test('an UPDATE on one line', () => {
  expect(
    formatMessage({
      type: 'update',
      withdrawn: [],
      attributes: [
        { type: 'as-path', value: [{ type: 'sequence', asns: [65001, 65002] }, { type: 'set', asns: [1, 2] }] },
        { type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 65001, bytesPerSecond: 125000 }] },
      ],
      nlri: [parsePrefix('203.0.113.0/24')],
    }),
  ).toBe('UPDATE as-path 65001 65002 {1,2}; extended-communities LB:65001:125000; nlri 203.0.113.0/24');
});

test('a NOTIFICATION by name, and JSON with hex data', () => {
  const message = { type: 'notification', code: 6, subcode: 2, data: hex('0362') } as const;
  expect(formatMessage(message)).toBe('NOTIFICATION Cease / Administrative Shutdown data=0362');
  expect(messageToJson(message)).toEqual({ type: 'notification', code: 6, subcode: 2, data: '0362' });
});

test('ROUTE-REFRESH subtypes by name', () => {
  expect(formatMessage({ type: 'route-refresh', afi: 1, safi: 1, subtype: 2 })).toBe('ROUTE-REFRESH afi=1 safi=1 eorr');
  expect(formatMessage({ type: 'route-refresh', afi: 1, safi: 1, subtype: 9 })).toBe('ROUTE-REFRESH afi=1 safi=1 subtype-9');
});
