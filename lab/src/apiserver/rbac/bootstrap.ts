// The default ClusterRoles and ClusterRoleBindings the real kube-apiserver creates at start that
// kubectl and ordinary clients rely on (discovery, health, self-reviews, cluster-admin).

import type { JsonObject } from '../json.js';
import { SYSTEM_AUTHENTICATED, SYSTEM_MASTERS, SYSTEM_UNAUTHENTICATED } from '../identity.js';
import { RBAC_GROUP } from './objects.js';

export interface BootstrapPolicy {
  readonly clusterRoles: JsonObject[];
  readonly clusterRoleBindings: JsonObject[];
}

const API_VERSION = `${RBAC_GROUP}/v1`;

/** Every bootstrap object carries these: the label marks them as defaults, the annotation lets the server reconcile them. */
function metadata(name: string): JsonObject {
  return {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
}

function resourceRule(verbs: string[], apiGroups: string[], resources: string[]): JsonObject {
  return { verbs, apiGroups, resources };
}

function urlRule(verbs: string[], nonResourceURLs: string[]): JsonObject {
  return { verbs, nonResourceURLs };
}

function clusterRole(name: string, rules: JsonObject[]): JsonObject {
  return { apiVersion: API_VERSION, kind: 'ClusterRole', metadata: metadata(name), rules };
}

/** Bound to groups, under the role's own name, as every default binding is. */
function groupBinding(role: string, groups: string[]): JsonObject {
  return {
    apiVersion: API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: metadata(role),
    subjects: groups.map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name })),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
  };
}

/** Fresh objects on each call, lists sorted as the real server stores them. */
export function bootstrapPolicy(): BootstrapPolicy {
  return {
    clusterRoles: [
      clusterRole('cluster-admin', [resourceRule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
      clusterRole('system:discovery', [
        urlRule(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/']),
      ]),
      clusterRole('system:basic-user', [
        resourceRule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
        resourceRule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
      ]),
      clusterRole('system:public-info-viewer', [urlRule(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    ],
    clusterRoleBindings: [
      groupBinding('cluster-admin', [SYSTEM_MASTERS]),
      groupBinding('system:discovery', [SYSTEM_AUTHENTICATED]),
      groupBinding('system:basic-user', [SYSTEM_AUTHENTICATED]),
      groupBinding('system:public-info-viewer', [SYSTEM_AUTHENTICATED, SYSTEM_UNAUTHENTICATED]),
    ],
  };
}
