import type { RequestAttributes } from '../identity.js';
import type { PolicyRule } from './objects.js';
import { nonResourceURLMatches, ruleAllows } from './rules.js';

const user = { name: 'u', groups: [] };

function rule(r: Partial<PolicyRule>): PolicyRule {
  return { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...r };
}

function res(verb: string, apiGroup: string, combined: string, name = '', namespace = 'ns'): RequestAttributes {
  const [resource = '', subresource = ''] = combined.split('/');
  return { kind: 'resource', user, verb, apiGroup, apiVersion: 'v1', resource, subresource, name, namespace };
}

function url(verb: string, path: string): RequestAttributes {
  return { kind: 'nonResource', user, verb, path };
}

const core = (verbs: string[], resources: string[], resourceNames: string[] = []) => rule({ verbs, apiGroups: [''], resources, resourceNames });

test.each([
  // verbs
  ['exact verb', core(['get'], ['services']), res('get', '', 'services', 'web'), true],
  ['other verb', core(['get'], ['services']), res('list', '', 'services'), false],
  ['verb *', core(['*'], ['services']), res('deletecollection', '', 'services'), true],
  ['no verbs', core([], ['services']), res('get', '', 'services', 'web'), false],
  // API groups
  ['"" is the core group', core(['get'], ['services']), res('get', '', 'services', 'web'), true],
  ['"" is not another group', core(['get'], ['services']), res('get', 'apps', 'services', 'web'), false],
  ['named group', rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }), res('get', 'apps', 'deployments', 'd'), true],
  ['named group is not core', rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }), res('get', '', 'deployments', 'd'), false],
  ['group *', rule({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }), res('get', 'apps', 'deployments', 'd'), true],
  ['group * covers core', rule({ verbs: ['get'], apiGroups: ['*'], resources: ['services'] }), res('get', '', 'services', 'web'), true],
  ['no groups', rule({ verbs: ['get'], resources: ['services'] }), res('get', '', 'services', 'web'), false],
  // resources and subresources
  ['resource * covers resources', core(['get'], ['*']), res('get', '', 'secrets', 's'), true],
  ['resource * covers subresources', core(['patch'], ['*']), res('patch', '', 'services/status', 'web'), true],
  ['resource does not cover its subresource', core(['patch'], ['services']), res('patch', '', 'services/status', 'web'), false],
  ['subresource does not cover its resource', core(['patch'], ['services/status']), res('patch', '', 'services', 'web'), false],
  ['combined form', core(['patch'], ['services/status']), res('patch', '', 'services/status', 'web'), true],
  ['combined form, other subresource', core(['patch'], ['services/status']), res('patch', '', 'services/proxy', 'web'), false],
  ['*/subresource', core(['patch'], ['*/status']), res('patch', '', 'pods/status', 'p'), true],
  ['*/subresource, other subresource', core(['patch'], ['*/status']), res('patch', '', 'pods/log', 'p'), false],
  ['*/subresource is not the resource', core(['patch'], ['*/status']), res('patch', '', 'pods', 'p'), false],
  ['services/* is no wildcard', core(['patch'], ['services/*']), res('patch', '', 'services/status', 'web'), false],
  ['resource names are case-sensitive', core(['get'], ['Services']), res('get', '', 'services', 'web'), false],
  // resourceNames
  ['resourceNames: listed name', core(['get'], ['configmaps'], ['a']), res('get', '', 'configmaps', 'a'), true],
  ['resourceNames: other name', core(['get'], ['configmaps'], ['a']), res('get', '', 'configmaps', 'b'), false],
  ['resourceNames: list has no name', core(['list'], ['configmaps'], ['a']), res('list', '', 'configmaps'), false],
  ['resourceNames: list pinned by name', core(['list'], ['configmaps'], ['a']), res('list', '', 'configmaps', 'a'), true],
  ['resourceNames: create has no name', core(['create'], ['configmaps'], ['a']), res('create', '', 'configmaps'), false],
  ['resourceNames: deletecollection has no name', core(['deletecollection'], ['configmaps'], ['a']), res('deletecollection', '', 'configmaps'), false],
  ['no resourceNames: any name', core(['get'], ['configmaps']), res('get', '', 'configmaps', 'anything'), true],
  // resource rules and non-resource requests do not mix
  ['resource rule, URL request', core(['get'], ['*']), url('get', '/healthz'), false],
  ['URL rule, resource request', rule({ verbs: ['get'], nonResourceURLs: ['*'] }), res('get', '', 'services', 'web'), false],
  ['URL rule', rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }), url('get', '/healthz'), true],
  ['URL rule, other verb', rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }), url('post', '/healthz'), false],
  ['URL rule, verb *', rule({ verbs: ['*'], nonResourceURLs: ['/healthz'] }), url('delete', '/healthz'), true],
])('%s', (_what, r, attrs, expected) => {
  expect(ruleAllows(attrs, r)).toBe(expected);
});

test.each([
  [['/healthz'], '/healthz', true],
  [['/healthz'], '/healthz/etcd', false],
  [['/healthz'], '/healthz/', false],
  [['/healthz/*'], '/healthz/etcd', true],
  [['/healthz/*'], '/healthz/', true],
  [['/healthz/*'], '/healthz', false],
  [['/healthz*'], '/healthzzz', true],
  [['/api/*'], '/api/v1', true],
  [['/api/*'], '/apis/apps', false],
  [['*'], '/anything/at/all', true],
  [['*'], '/', true],
  [['/logs**'], '/logs/x', true],
  [['/a', '/b/*'], '/b/c', true],
  [[], '/healthz', false],
])('URLs %j match %s: %s', (nonResourceURLs, path, expected) => {
  expect(nonResourceURLMatches(rule({ verbs: ['get'], nonResourceURLs }), path)).toBe(expected);
});
