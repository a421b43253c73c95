import { statusContent } from './service-status.js';
import { announcementEvent } from './events.js';

const weighted = statusContent('node1', 'shop/web', [{ prefix: '203.0.113.10/32', family: 4, peers: ['spine', 'tor'], communities: [], services: ['shop/web'], linkBandwidth: 250_000 }]);
const plain = statusContent('node1', 'shop/web', [
  { prefix: '203.0.113.10/32', family: 4, peers: ['tor'], communities: [], services: ['shop/web'] },
  { prefix: '2001:db8::a/128', family: 6, peers: ['tor'], communities: [], services: ['shop/web'] },
]);

test.each([
  ['starts, weighted', false, weighted, undefined, { type: 'Normal', reason: 'BGPAnnounced', message: 'node node1 announces 203.0.113.10/32 to spine, tor with weight 2' }],
  ['starts, dual-stack, unweighted', false, plain, undefined, { type: 'Normal', reason: 'BGPAnnounced', message: 'node node1 announces 203.0.113.10/32, 2001:db8::a/128 to tor' }],
  ['stops, with why', true, undefined, 'service shop/web has no ready endpoint on node node1', { type: 'Normal', reason: 'BGPWithdrawn', message: 'node node1 stopped announcing: service shop/web has no ready endpoint on node node1' }],
  ['stops because the Service is gone', true, undefined, undefined, { type: 'Normal', reason: 'BGPWithdrawn', message: 'node node1 stopped announcing: the Service is gone' }],
  ['keeps announcing (weight changed): no Event', true, weighted, undefined, undefined],
  ['still not announcing: no Event', false, undefined, 'whatever', undefined],
])('%s', (_name, was, now, why, expected) => {
  expect(announcementEvent('node1', was, now, why)).toEqual(expected);
});
