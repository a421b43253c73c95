// Which rules apply to a user in a namespace, and from which binding, in the real resolver's order
// (cluster bindings, then the namespace's); a binding whose role is missing yields an error.

import type { UserInfo } from '../identity.js';
import {
  bindingRoleRef,
  bindingSubjects,
  objectName,
  objectNamespace,
  policyRules,
  RBAC_GROUP,
  type PolicyRule,
  type RbacObject,
  type RbacObjects,
  type RoleRef,
  type Subject,
} from './objects.js';
import { goQuote } from '../go-text.js';

/** A rule and the binding that grants it (the text of the real "allowed by" reason), or a resolution error. */
export type RuleVisit = { readonly rule: PolicyRule; readonly source: string } | { readonly error: string };

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** `namespace` is the binding's ("" for a ClusterRoleBinding): it defaults a ServiceAccount subject's. */
export function subjectMatches(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const saNamespace = subject.namespace !== '' ? subject.namespace : namespace;
      return saNamespace !== '' && user.name === `${SERVICE_ACCOUNT_PREFIX}${saNamespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${goQuote(`${s.name}/${s.namespace !== '' ? s.namespace : bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

function describeBinding(binding: RbacObject, ref: RoleRef, subject: Subject, namespace: string): string {
  const which = namespace === '' ? `ClusterRoleBinding ${goQuote(objectName(binding))}` : `RoleBinding ${goQuote(`${objectName(binding)}/${objectNamespace(binding)}`)}`;
  return `${which} of ${ref.kind} ${goQuote(ref.name)} to ${describeSubject(subject, namespace)}`;
}

/** The not-found text of the real listers: `clusterrole.rbac.authorization.k8s.io "x" not found`. */
function notFound(resource: string, name: string): string {
  return `${resource}.${RBAC_GROUP} ${goQuote(name)} not found`;
}

/** The rules a roleRef names, or the error the real resolver reports for it. */
export function roleRefRules(ref: RoleRef, bindingNamespace: string, rbac: RbacObjects): { rules: PolicyRule[] } | { error: string } {
  switch (ref.kind) {
    case 'Role': {
      const role = bindingNamespace === '' ? undefined : rbac.role(bindingNamespace, ref.name);
      return role === undefined ? { error: notFound('role', ref.name) } : { rules: policyRules(role) };
    }
    case 'ClusterRole': {
      const role = rbac.clusterRole(ref.name);
      return role === undefined ? { error: notFound('clusterrole', ref.name) } : { rules: policyRules(role) };
    }
    default:
      return { error: `unsupported role reference kind: ${goQuote(ref.kind)}` };
  }
}

function* bindingRules(user: UserInfo, bindings: readonly RbacObject[], namespace: string, rbac: RbacObjects): Generator<RuleVisit> {
  for (const binding of bindings) {
    const subject = bindingSubjects(binding).find((s) => subjectMatches(user, s, namespace));
    if (subject === undefined) continue;
    const ref = bindingRoleRef(binding);
    const resolved = roleRefRules(ref, namespace, rbac);
    if ('error' in resolved) {
      yield resolved;
      continue;
    }
    const source = describeBinding(binding, ref, subject, namespace);
    for (const rule of resolved.rules) yield { rule, source };
  }
}

/** Every rule granted to `user` in `namespace` ("" = cluster scope: ClusterRoleBindings only), lazily. */
export function* visitRules(user: UserInfo, namespace: string, rbac: RbacObjects): Generator<RuleVisit> {
  yield* bindingRules(user, rbac.clusterRoleBindings(), '', rbac);
  if (namespace !== '') yield* bindingRules(user, rbac.roleBindings(namespace), namespace, rbac);
}

/** Error texts joined as the real aggregate error does: one alone, several as "[a, b]" without repeats. */
export function aggregateMessage(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `[${unique.join(', ')}]`;
}
