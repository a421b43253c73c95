import type { StoredEvent } from './history.js';
import type { JsonObject } from './json.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { translate, type WatchFilter } from './watch-filter.js';

function pod(ns: string, labels: Record<string, string>, node = 'n1'): JsonObject {
  return { metadata: { name: 'p', namespace: ns, labels }, spec: { nodeName: node } };
}

function filter(ns: string | undefined, labels = '', fields = ''): WatchFilter {
  return { resource: '/pods', namespace: ns, labels: parseLabelSelector(labels), fields: parseFieldSelector(fields, ['spec.nodeName']) };
}

const web = pod('default', { app: 'web' });
const db = pod('default', { app: 'db' });

test.each([
  ['other resource is skipped', filter(undefined), { type: 'ADDED', resource: '/services', resourceVersion: 1, object: web }, undefined],
  ['other namespace is skipped', filter('kube-system'), { type: 'ADDED', resource: '/pods', resourceVersion: 1, object: web }, undefined],
  ['all namespaces', filter(undefined), { type: 'ADDED', resource: '/pods', resourceVersion: 1, object: web }, 'ADDED'],
  ['selected add', filter('default', 'app=web'), { type: 'ADDED', resource: '/pods', resourceVersion: 1, object: web }, 'ADDED'],
  ['unselected add', filter('default', 'app=web'), { type: 'ADDED', resource: '/pods', resourceVersion: 1, object: db }, undefined],
  ['modify inside the selection', filter('default', 'app=web'), { type: 'MODIFIED', resource: '/pods', resourceVersion: 2, object: web, previous: web }, 'MODIFIED'],
  ['moving into the selection is ADDED', filter('default', 'app=web'), { type: 'MODIFIED', resource: '/pods', resourceVersion: 2, object: web, previous: db }, 'ADDED'],
  ['moving out of the selection is DELETED', filter('default', 'app=web'), { type: 'MODIFIED', resource: '/pods', resourceVersion: 2, object: db, previous: web }, 'DELETED'],
  ['outside before and after', filter('default', 'app=web'), { type: 'MODIFIED', resource: '/pods', resourceVersion: 2, object: db, previous: db }, undefined],
  ['field selector', filter(undefined, '', 'spec.nodeName=n2'), { type: 'ADDED', resource: '/pods', resourceVersion: 1, object: pod('default', {}, 'n2') }, 'ADDED'],
  ['field selector miss', filter(undefined, '', 'spec.nodeName=n2'), { type: 'DELETED', resource: '/pods', resourceVersion: 1, object: web }, undefined],
] as [string, WatchFilter, StoredEvent, string | undefined][])('%s', (_n, f, e, expected) => {
  expect(translate(f, e)?.type).toBe(expected);
});
