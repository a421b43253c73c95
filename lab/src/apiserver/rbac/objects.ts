// The RBAC objects (rbac.authorization.k8s.io/v1) as the authorizer reads them from the store,
// and the interface the store offers. Absent or null lists read as empty, as Go's nil slices do.

/** A stored object: plain JSON as the store keeps it (a JsonObject fits). */
export type RbacObject = { readonly [key: string]: unknown };

/** Where the authorizer finds Roles, ClusterRoles and their bindings; the lead implements it over the store. */
export interface RbacObjects {
  roles(namespace: string): readonly RbacObject[];
  clusterRoles(): readonly RbacObject[];
  roleBindings(namespace: string): readonly RbacObject[];
  clusterRoleBindings(): readonly RbacObject[];
  role(namespace: string, name: string): RbacObject | undefined;
  clusterRole(name: string): RbacObject | undefined;
}

export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export interface Subject {
  readonly kind: string;
  readonly name: string;
  /** "" when not set. */
  readonly namespace: string;
}

export interface RoleRef {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined;
}

function text(obj: unknown, key: string): string {
  const v = field(obj, key);
  return typeof v === 'string' ? v : '';
}

function strings(obj: unknown, key: string): string[] {
  const v = field(obj, key);
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function objects(obj: unknown, key: string): unknown[] {
  const v = field(obj, key);
  return Array.isArray(v) ? v : [];
}

export function objectName(obj: RbacObject): string {
  return text(obj['metadata'], 'name');
}

export function objectNamespace(obj: RbacObject): string {
  return text(obj['metadata'], 'namespace');
}

/** The rules of a Role or ClusterRole (an aggregated ClusterRole stores `rules: null` until filled). */
export function policyRules(role: RbacObject): PolicyRule[] {
  return objects(role, 'rules').map((r) => ({
    verbs: strings(r, 'verbs'),
    apiGroups: strings(r, 'apiGroups'),
    resources: strings(r, 'resources'),
    resourceNames: strings(r, 'resourceNames'),
    nonResourceURLs: strings(r, 'nonResourceURLs'),
  }));
}

export function bindingSubjects(binding: RbacObject): Subject[] {
  return objects(binding, 'subjects').map((s) => ({ kind: text(s, 'kind'), name: text(s, 'name'), namespace: text(s, 'namespace') }));
}

export function bindingRoleRef(binding: RbacObject): RoleRef {
  const ref = binding['roleRef'];
  return { apiGroup: text(ref, 'apiGroup'), kind: text(ref, 'kind'), name: text(ref, 'name') };
}
