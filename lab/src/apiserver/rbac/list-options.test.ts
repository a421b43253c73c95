import { listQuery } from './list-options.js';

test.each([
  ['', { watch: false, name: '' }],
  ['watch=true', { watch: true, name: '' }],
  ['watch=1', { watch: true, name: '' }],
  ['watch=TRUE', { watch: true, name: '' }],
  ['watch=', { watch: true, name: '' }],
  ['watch=yes', { watch: true, name: '' }],
  ['watch=false', { watch: false, name: '' }],
  ['watch=False', { watch: false, name: '' }],
  ['watch=0', { watch: false, name: '' }],
  ['watch=0&watch=1', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Dweb', { watch: false, name: 'web' }],
  ['fieldSelector=metadata.name%3D%3Dweb', { watch: false, name: 'web' }],
  ['watch=1&fieldSelector=metadata.name%3Dweb', { watch: true, name: 'web' }],
  ['fieldSelector=metadata.name!%3Dweb', { watch: false, name: '' }],
  ['fieldSelector=metadata.namespace%3Dweb', { watch: false, name: '' }],
  ['fieldSelector=spec.type%3DLoadBalancer,metadata.name%3Dweb', { watch: false, name: 'web' }],
  // Terms are sorted before the first exact match is taken.
  ['fieldSelector=metadata.name%3Db,metadata.name%3Da', { watch: false, name: 'a' }],
  ['fieldSelector=metadata.name%3Da%5C,b', { watch: false, name: 'a,b' }],
  ['fieldSelector=metadata.name%3D', { watch: false, name: '' }],
  // Names that cannot be a path segment are not taken.
  ['fieldSelector=metadata.name%3D..', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Da%2Fb', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Da%25b', { watch: false, name: '' }],
  // The field name is not trimmed.
  ['fieldSelector=metadata.name%20%3Dweb', { watch: false, name: '' }],
  // Only the first fieldSelector counts.
  ['fieldSelector=metadata.name%3Da&fieldSelector=metadata.name%3Db', { watch: false, name: 'a' }],
  // Options that do not decode drop the name but keep watch.
  ['fieldSelector=metadata.name', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Da%3Db', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Da%5Cx', { watch: false, name: '' }],
  ['watch=1&fieldSelector=metadata.name%3Dweb&limit=abc', { watch: true, name: '' }],
  ['fieldSelector=metadata.name%3Dweb&timeoutSeconds=1.5', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Dweb&limit=99999999999999999999', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Dweb&labelSelector=a%3D%3D%3Db', { watch: false, name: '' }],
  ['fieldSelector=metadata.name%3Dweb&limit=500&timeoutSeconds=-3&labelSelector=app%3Dx', { watch: false, name: 'web' }],
])('?%s', (query, expected) => {
  expect(listQuery(new URLSearchParams(query))).toEqual(expected);
});
