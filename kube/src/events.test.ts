import { involvedObjectRef, kubeTime, truncateMessage } from './events.js';

test.each([
  [
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'web', uid: 'u1', resourceVersion: '7', labels: { a: 'b' }, annotations: {}, creationTimestamp: 'x' } },
    { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'web', uid: 'u1', resourceVersion: '7' },
  ],
  [{ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'lan', namespace: '' } }, { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', name: 'lan' }],
])('involvedObjectRef keeps only the reference fields (%#)', (obj, ref) => {
  expect(involvedObjectRef(obj)).toEqual(ref);
});

test.each([
  [Date.parse('2025-03-01T10:00:00.999Z'), '2025-03-01T10:00:00Z'],
  [0, '1970-01-01T00:00:00Z'],
])('kubeTime(%i) = %s', (ms, s) => {
  expect(kubeTime(ms)).toBe(s);
});

test.each([
  ['short', 'short'],
  ['x'.repeat(1024), 'x'.repeat(1024)],
  ['x'.repeat(1025), `${'x'.repeat(1009)}... (truncated)`],
  ['é'.repeat(600), `${'é'.repeat(504)}... (truncated)`],
  ['😀'.repeat(300), `${'😀'.repeat(252)}... (truncated)`],
])('truncateMessage keeps an Event message within 1 KiB (%#)', (input, output) => {
  expect(truncateMessage(input)).toBe(output);
  expect(Buffer.byteLength(truncateMessage(input))).toBeLessThanOrEqual(1024);
});
