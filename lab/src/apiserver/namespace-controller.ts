// What kube-controller-manager adds to every namespace that clients count on: the `default`
// ServiceAccount (TokenRequest, Pods without serviceAccountName) and the kube-root-ca.crt ConfigMap.

import { admit, internalContext } from './admission.js';
import { ApiError } from './errors.js';
import type { JsonObject } from './json.js';
import type { Registry } from './registry.js';
import { resourceKey } from './resources.js';
import type { Store } from './store.js';

const NAMESPACES = resourceKey('', 'namespaces');
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

export class NamespaceController {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    /** The cluster CA (PEM) to publish; undefined publishes none (a server without TLS material). */
    private readonly caPem: string | undefined,
  ) {
    // After the namespace's own event has reached every watcher: a write from inside a store
    // event would reach them first.
    store.subscribe((e) => {
      if (e.resource === NAMESPACES && e.type === 'ADDED') queueMicrotask(() => this.fill(String((e.object['metadata'] as JsonObject)['name'])));
    });
  }

  /** Namespaces that exist before the controller does (the server's start-up ones). */
  fillAll(): void {
    for (const ns of this.store.list(this.registry.builtIn('', 'v1', 'namespaces'), undefined)) this.fill(String((ns['metadata'] as JsonObject)['name']));
  }

  private fill(ns: string): void {
    if (!this.store.namespaceExists(ns)) return;
    this.ensure('serviceaccounts', ns, { metadata: { name: 'default' } });
    if (this.caPem !== undefined) this.ensure('configmaps', ns, { metadata: { name: ROOT_CA_CONFIGMAP }, data: { 'ca.crt': this.caPem } });
  }

  private ensure(plural: string, ns: string, obj: JsonObject): void {
    const type = this.registry.builtIn('', 'v1', plural);
    const name = String((obj['metadata'] as JsonObject)['name']);
    if (this.store.find(type, ns, name) !== undefined) return;
    try {
      this.store.create(type, ns, obj, { admit: (o) => admit(type, o, internalContext()) });
    } catch (e) {
      // A client may have created it in between, or the namespace is going away: both fine.
      if (!(e instanceof ApiError) || (e.code !== 409 && e.code !== 403 && e.code !== 404)) throw e;
    }
  }
}
