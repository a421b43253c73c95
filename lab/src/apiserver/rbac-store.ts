// The RBAC authorizer's view of the store: Roles, ClusterRoles and their bindings as stored,
// read on every decision so a `kubectl apply` of a Role takes effect on the next request.

import type { RbacObject, RbacObjects } from './rbac/index.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './resources.js';
import type { Store } from './store.js';

const GROUP = 'rbac.authorization.k8s.io';

export class StoreRbac implements RbacObjects {
  private readonly roleType: ResourceType;
  private readonly clusterRoleType: ResourceType;
  private readonly roleBindingType: ResourceType;
  private readonly clusterRoleBindingType: ResourceType;

  constructor(
    private readonly store: Store,
    registry: Registry,
  ) {
    this.roleType = registry.builtIn(GROUP, 'v1', 'roles');
    this.clusterRoleType = registry.builtIn(GROUP, 'v1', 'clusterroles');
    this.roleBindingType = registry.builtIn(GROUP, 'v1', 'rolebindings');
    this.clusterRoleBindingType = registry.builtIn(GROUP, 'v1', 'clusterrolebindings');
  }

  roles(namespace: string): RbacObject[] {
    return this.store.list(this.roleType, namespace);
  }

  clusterRoles(): RbacObject[] {
    return this.store.list(this.clusterRoleType, undefined);
  }

  roleBindings(namespace: string): RbacObject[] {
    return this.store.list(this.roleBindingType, namespace);
  }

  clusterRoleBindings(): RbacObject[] {
    return this.store.list(this.clusterRoleBindingType, undefined);
  }

  role(namespace: string, name: string): RbacObject | undefined {
    return this.store.find(this.roleType, namespace, name);
  }

  clusterRole(name: string): RbacObject | undefined {
    return this.store.find(this.clusterRoleType, '', name);
  }
}
