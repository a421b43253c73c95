// The set of resource types served right now (built-ins plus one per CRD) and the legacy
// discovery documents (/api, /apis, /api/v1, /apis/G/V) kubectl and client-go read.

import { BUILTIN_TYPES, resourceKey, type ResourceType } from './resources.js';
import type { JsonObject } from './json.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export class Registry {
  private readonly types = new Map<string, ResourceType>();

  constructor() {
    for (const t of BUILTIN_TYPES) this.types.set(resourceKey(t.group, t.plural), t);
  }

  /** Adds or replaces a CRD's type; false when it would shadow a built-in. */
  put(type: ResourceType): boolean {
    const existing = this.types.get(resourceKey(type.group, type.plural));
    if (existing !== undefined && existing.crd === undefined) return false;
    this.types.set(resourceKey(type.group, type.plural), type);
    return true;
  }

  remove(group: string, plural: string): ResourceType | undefined {
    const key = resourceKey(group, plural);
    const t = this.types.get(key);
    if (t?.crd === undefined) return undefined;
    this.types.delete(key);
    return t;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.types.get(resourceKey(group, plural));
    return t !== undefined && t.versions.includes(version) ? t : undefined;
  }

  /** A type the server cannot run without; missing means the built-in table is broken. */
  builtIn(group: string, version: string, plural: string): ResourceType {
    const t = this.find(group, version, plural);
    if (t === undefined) throw new Error(`server: built-in type ${group}/${version}/${plural} missing`);
    return t;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Group name → served versions, preferred (storage) version first. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const t of this.types.values()) {
      const versions = groups.get(t.group) ?? [];
      for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(t.group, versions);
    }
    return groups;
  }

  servesGroupVersion(group: string, version: string): boolean {
    return this.groups().get(group)?.includes(version) ?? false;
  }

  apiVersions(serverAddress: string): JsonObject {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  private apiGroup(name: string, versions: readonly string[]): JsonObject {
    const gv = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: gv, preferredVersion: gv[0] ?? null };
  }

  apiGroupList(): JsonObject {
    const groups = [...this.groups()].filter(([g]) => g !== '').sort(([a], [b]) => a.localeCompare(b));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(([g, v]) => this.apiGroup(g, v)) };
  }

  apiGroupDoc(group: string): JsonObject | undefined {
    const versions = this.groups().get(group);
    if (versions === undefined || group === '') return undefined;
    return { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(group, versions) };
  }

  apiResourceList(group: string, version: string): JsonObject {
    const resources: JsonObject[] = [];
    for (const t of this.all()) {
      if (t.group !== group || !t.versions.includes(version)) continue;
      resources.push({
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.createOnly === true ? ['create'] : VERBS,
        ...(t.shortNames.length > 0 ? { shortNames: [...t.shortNames] } : {}),
        ...(t.categories.length > 0 ? { categories: [...t.categories] } : {}),
      });
      if (t.hasStatus) {
        resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
      }
      for (const sub of t.readSubresources ?? []) {
        resources.push({ name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get'] });
      }
      for (const a of t.actions ?? []) {
        resources.push({ name: `${t.plural}/${a.subresource}`, singularName: '', namespaced: t.namespaced, group: a.group, version: a.version, kind: a.kind, verbs: ['create'] });
      }
    }
    resources.sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
  }
}
