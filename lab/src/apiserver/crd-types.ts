// CustomResourceDefinitions are ordinary objects in the store, yet they decide what the server
// serves: this keeps the registry in step with them and guards the names built-ins own.

import { admit, internalContext, type AdmitContext } from './admission.js';
import { ApiError, invalid } from './errors.js';
import { isObject, type JsonObject } from './json.js';
import type { Registry } from './registry.js';
import { resourceKey, resourceTypeFromCrd } from './resources.js';
import type { Store } from './store.js';
import type { Watches } from './watches.js';

const CRD_KEY = resourceKey('apiextensions.k8s.io', 'customresourcedefinitions');

export class CrdTypes {
  constructor(
    private readonly registry: Registry,
    private readonly store: Store,
    private readonly watches: Watches,
    private readonly log: (line: JsonObject) => void,
  ) {
    store.subscribe((e) => {
      if (e.resource !== CRD_KEY) return;
      this.follow(e.type, e.object);
    });
  }

  /** The registry follows CRDs in the store; a deleted CRD takes its objects and watches with it. */
  private follow(event: string, crd: JsonObject): void {
    if (event === 'DELETED') {
      const spec = isObject(crd['spec']) ? crd['spec'] : {};
      const names = isObject(spec['names']) ? spec['names'] : {};
      const removed = this.registry.remove(String(spec['group'] ?? ''), String(names['plural'] ?? ''));
      if (removed === undefined) return;
      this.log({ level: 'info', msg: 'custom resource type removed', group: removed.group, plural: removed.plural });
      this.store.dropType(removed);
      this.watches.closeResource(resourceKey(removed.group, removed.plural));
      return;
    }
    const type = resourceTypeFromCrd(crd);
    if (this.registry.put(type) && event === 'ADDED') {
      this.log({ level: 'info', msg: 'custom resource type served', group: type.group, versions: [...type.versions], plural: type.plural, kind: type.kind });
    }
  }

  /** Creates (or replaces) a CRD, as `--crds DIR` does at start. */
  apply(crd: JsonObject): JsonObject {
    const type = this.registry.builtIn('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    const name = isObject(crd['metadata']) ? String(crd['metadata']['name'] ?? '') : '';
    const write = { admit: (o: JsonObject) => this.admit(o, internalContext()) };
    try {
      const existing = this.store.get(type, '', name);
      const next = { ...crd, metadata: { ...(isObject(crd['metadata']) ? crd['metadata'] : {}), resourceVersion: (existing['metadata'] as JsonObject)['resourceVersion'] ?? '' } };
      return this.store.update(type, '', name, next, undefined, write);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return this.store.create(type, '', crd, write);
      throw e;
    }
  }

  /** Admission for a CRD write, which must also not take over a built-in resource's name. */
  admit(obj: JsonObject, ctx: AdmitContext): JsonObject {
    const crdType = this.registry.builtIn('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    const out = admit(crdType, obj, ctx);
    const t = resourceTypeFromCrd(out);
    const existing = this.registry.find(t.group, t.versions[0] ?? '', t.plural);
    if (existing !== undefined && existing.crd === undefined) {
      throw invalid('CustomResourceDefinition', 'apiextensions.k8s.io', t.crd ?? '', [{ field: 'spec.names.plural', type: 'FieldValueInvalid', detail: `Invalid value: "${t.plural}": the group ${JSON.stringify(t.group)} already serves a built-in resource of that name` }]);
    }
    return out;
  }
}
