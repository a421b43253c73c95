// RbacObjects over a fixed list of objects: for tests, and for checking manifests before any
// server holds them. Objects of other kinds (a ServiceAccount in the same file) are skipped.

import { objectName, objectNamespace, RBAC_GROUP, type RbacObject, type RbacObjects } from './objects.js';

export class MemoryRbacError extends Error {
  override readonly name = 'MemoryRbacError';
  constructor(message: string) {
    super(`rbac/memory: ${message}`);
  }
}

const NAMESPACED = new Set(['Role', 'RoleBinding']);
const CLUSTER = new Set(['ClusterRole', 'ClusterRoleBinding']);

function kindOf(obj: RbacObject): string | undefined {
  const apiVersion = obj['apiVersion'];
  const kind = obj['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  if (apiVersion.split('/')[0] !== RBAC_GROUP) return undefined;
  return NAMESPACED.has(kind) || CLUSTER.has(kind) ? kind : undefined;
}

export class MemoryRbac implements RbacObjects {
  readonly #byKind = new Map<string, RbacObject[]>();

  /** Throws MemoryRbacError for an RBAC object without a name, or a Role/RoleBinding without a namespace. */
  constructor(objects: readonly RbacObject[]) {
    for (const obj of objects) {
      const kind = kindOf(obj);
      if (kind === undefined) continue;
      if (objectName(obj) === '') throw new MemoryRbacError(`a ${kind} has no metadata.name`);
      if (NAMESPACED.has(kind) && objectNamespace(obj) === '') throw new MemoryRbacError(`${kind} "${objectName(obj)}" has no metadata.namespace`);
      const list = this.#byKind.get(kind) ?? [];
      list.push(obj);
      this.#byKind.set(kind, list);
    }
  }

  #all(kind: string): readonly RbacObject[] {
    return this.#byKind.get(kind) ?? [];
  }

  roles(namespace: string): readonly RbacObject[] {
    return this.#all('Role').filter((o) => objectNamespace(o) === namespace);
  }

  clusterRoles(): readonly RbacObject[] {
    return this.#all('ClusterRole');
  }

  roleBindings(namespace: string): readonly RbacObject[] {
    return this.#all('RoleBinding').filter((o) => objectNamespace(o) === namespace);
  }

  clusterRoleBindings(): readonly RbacObject[] {
    return this.#all('ClusterRoleBinding');
  }

  role(namespace: string, name: string): RbacObject | undefined {
    return this.roles(namespace).find((o) => objectName(o) === name);
  }

  clusterRole(name: string): RbacObject | undefined {
    return this.clusterRoles().find((o) => objectName(o) === name);
  }
}
