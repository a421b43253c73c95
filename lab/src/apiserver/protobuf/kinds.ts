// Which message carries each apiVersion/kind in protobuf: the built-in kinds the server serves, their
// lists, the create-only kinds (reviews, TokenRequest) and Status; anything else (custom resources above all) has none.

import { messageSpec, type MessageSpec } from './schema.js';

const CORE = 'k8s.io.api.core.v1';
const RBAC = 'k8s.io.api.rbac.v1';
const AUTHN = 'k8s.io.api.authentication.v1';
const AUTHZ = 'k8s.io.api.authorization.v1';

const KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    Namespace: `${CORE}.Namespace`,
    Secret: `${CORE}.Secret`,
    ConfigMap: `${CORE}.ConfigMap`,
    Service: `${CORE}.Service`,
    Pod: `${CORE}.Pod`,
    Event: `${CORE}.Event`,
    ServiceAccount: `${CORE}.ServiceAccount`,
    Status: 'k8s.io.apimachinery.pkg.apis.meta.v1.Status',
  },
  'apps/v1': { Deployment: 'k8s.io.api.apps.v1.Deployment', DaemonSet: 'k8s.io.api.apps.v1.DaemonSet' },
  'coordination.k8s.io/v1': { Lease: 'k8s.io.api.coordination.v1.Lease' },
  'events.k8s.io/v1': { Event: 'k8s.io.api.events.v1.Event' },
  'discovery.k8s.io/v1': { EndpointSlice: 'k8s.io.api.discovery.v1.EndpointSlice' },
  'rbac.authorization.k8s.io/v1': { Role: `${RBAC}.Role`, ClusterRole: `${RBAC}.ClusterRole`, RoleBinding: `${RBAC}.RoleBinding`, ClusterRoleBinding: `${RBAC}.ClusterRoleBinding` },
  'authentication.k8s.io/v1': { TokenRequest: `${AUTHN}.TokenRequest`, TokenReview: `${AUTHN}.TokenReview`, SelfSubjectReview: `${AUTHN}.SelfSubjectReview` },
  'authorization.k8s.io/v1': {
    SelfSubjectAccessReview: `${AUTHZ}.SelfSubjectAccessReview`,
    SelfSubjectRulesReview: `${AUTHZ}.SelfSubjectRulesReview`,
    SubjectAccessReview: `${AUTHZ}.SubjectAccessReview`,
    LocalSubjectAccessReview: `${AUTHZ}.LocalSubjectAccessReview`,
  },
};

/** apiVersions whose kinds are never stored, so have no `<Kind>List` (Status has none either). */
const WITHOUT_LISTS: ReadonlySet<string> = new Set(['authentication.k8s.io/v1', 'authorization.k8s.io/v1']);

function hasList(apiVersion: string, kind: string): boolean {
  return kind !== 'Status' && !WITHOUT_LISTS.has(apiVersion);
}

function messageName(apiVersion: string, kind: string): string | undefined {
  const kinds = KINDS[apiVersion];
  if (kinds === undefined) return undefined;
  const direct = kinds[kind];
  if (direct !== undefined) return direct;
  // Every listed kind's list is `<Kind>List` in the same package.
  const itemKind = kind.endsWith('List') ? kind.slice(0, -'List'.length) : undefined;
  const item = itemKind === undefined ? undefined : kinds[itemKind];
  return item === undefined || itemKind === undefined || !hasList(apiVersion, itemKind) ? undefined : `${item}List`;
}

/** The message for an apiVersion/kind, or undefined when it has no protobuf form here. */
export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  const name = messageName(apiVersion, kind);
  return name === undefined ? undefined : messageSpec(name);
}

/** Whether a message is a kind: Go embeds TypeMeta in it, so its JSON may carry `kind` and `apiVersion` (list items too), which protobuf leaves out. */
export function isKindMessage(fullName: string): boolean {
  return protobufKinds().some((k) => messageName(k.apiVersion, k.kind) === fullName);
}

/** Every apiVersion/kind with a protobuf form, lists included. */
export function protobufKinds(): { apiVersion: string; kind: string }[] {
  const out: { apiVersion: string; kind: string }[] = [];
  for (const [apiVersion, kinds] of Object.entries(KINDS)) {
    for (const kind of Object.keys(kinds)) {
      out.push({ apiVersion, kind });
      if (hasList(apiVersion, kind)) out.push({ apiVersion, kind: `${kind}List` });
    }
  }
  return out;
}
