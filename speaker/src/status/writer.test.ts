import type { JsonObject } from '@headland/kube';
import { statusContent, statusObject } from './service-status.js';
import { nextStatus } from './writer.js';

const content = statusContent('node1', 'shop/web', [{ prefix: '203.0.113.10/32', family: 4, peers: ['tor'], communities: [], services: ['shop/web'] }]);
const desired = statusObject('headland-system', content);
const stored = (status: unknown, labels: unknown = desired.metadata.labels): JsonObject =>
  JSON.parse(JSON.stringify({ ...desired, metadata: { ...desired.metadata, labels, resourceVersion: '41', uid: 'u' }, status })) as JsonObject;

test.each([
  ['absent: create it whole (no resourceVersion)', null, { ...desired }],
  ['the same status and labels: nothing to write', stored(content), undefined],
  ['another status: write over the version read', stored({ ...content, peers: [] }), { ...desired, metadata: { ...desired.metadata, resourceVersion: '41' } }],
  ['just created, status dropped by the subresource: write it', stored(undefined), { ...desired, metadata: { ...desired.metadata, resourceVersion: '41' } }],
  ['labels edited by someone: put back', stored(content, { x: 'y' }), { ...desired, metadata: { ...desired.metadata, resourceVersion: '41' } }],
])('nextStatus: %s', (_name, current, expected) => {
  expect(nextStatus(current, desired)).toEqual(expected);
});
