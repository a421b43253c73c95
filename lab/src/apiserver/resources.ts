// What the server serves: the built-in resource types with their patch merge keys and
// selectable fields, and the conversion of a CustomResourceDefinition into resource types.

import type { PatchMeta } from './strategic-merge.js';
import type { JSONSchemaProps } from './schema.js';
import { isObject, type JsonObject } from './json.js';

export interface ResourceType {
  group: string;
  /** Versions served, the first being the one objects are stored as. */
  versions: readonly string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  /** A `/status` subresource: the main resource ignores status, `/status` changes only status. */
  hasStatus: boolean;
  /** Generation follows `spec` only; otherwise every field but metadata (and status with a subresource). */
  specDrivesGeneration: boolean;
  /** Status given on create is kept (Node); otherwise it is cleared, like the real strategies. */
  keepsStatusOnCreate: boolean;
  /** Strategic merge patch list strategies; undefined means the type takes no strategic patch (custom resources). */
  patchMeta: PatchMeta | undefined;
  /** Fields usable in field selectors beyond metadata.name and metadata.namespace. */
  selectableFields: readonly string[];
  /** Per-version schema of a custom resource. */
  schemas: Readonly<Record<string, JSONSchemaProps>>;
  /** Name of the CustomResourceDefinition this type comes from. */
  crd?: string;
  /** Reviews (SelfSubjectAccessReview, TokenReview...): only `create`, answered by the server, never stored. */
  createOnly?: boolean;
  /** Subresources other than `status` that take a POST of another kind (serviceaccounts/token). */
  actions?: readonly ResourceAction[];
  /** Subresources read with GET as text (pods/log). */
  readSubresources?: readonly string[];
}

export interface ResourceAction {
  readonly subresource: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

const objectMetaMeta: PatchMeta = {
  'metadata.finalizers': 'set',
  'metadata.ownerReferences': { mergeKeys: ['uid'] },
};

const containerMeta = (prefix: string): PatchMeta => ({
  [`${prefix}`]: { mergeKeys: ['name'] },
  [`${prefix}[].ports`]: { mergeKeys: ['containerPort', 'protocol'] },
  [`${prefix}[].env`]: { mergeKeys: ['name'] },
  [`${prefix}[].volumeMounts`]: { mergeKeys: ['mountPath'] },
  [`${prefix}[].volumeDevices`]: { mergeKeys: ['devicePath'] },
});

function builtin(
  group: string,
  version: string,
  plural: string,
  kind: string,
  opts: Partial<Omit<ResourceType, 'group' | 'versions' | 'plural' | 'kind'>> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    plural,
    kind,
    singular: opts.singular ?? kind.toLowerCase(),
    listKind: `${kind}List`,
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    hasStatus: opts.hasStatus ?? false,
    specDrivesGeneration: opts.specDrivesGeneration ?? false,
    keepsStatusOnCreate: opts.keepsStatusOnCreate ?? false,
    patchMeta: { ...objectMetaMeta, ...(opts.patchMeta ?? {}) },
    selectableFields: opts.selectableFields ?? [],
    schemas: {},
    ...(opts.createOnly === true ? { createOnly: true } : {}),
    ...(opts.actions === undefined ? {} : { actions: opts.actions }),
    ...(opts.readSubresources === undefined ? {} : { readSubresources: opts.readSubresources }),
  };
}

export const BUILTIN_TYPES: readonly ResourceType[] = [
  builtin('', 'v1', 'namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
    specDrivesGeneration: true,
    keepsStatusOnCreate: true,
    selectableFields: ['status.phase'],
  }),
  builtin('', 'v1', 'nodes', 'Node', {
    namespaced: false,
    shortNames: ['no'],
    hasStatus: true,
    specDrivesGeneration: true,
    keepsStatusOnCreate: true,
    selectableFields: ['spec.unschedulable'],
    patchMeta: {
      'spec.podCIDRs': 'set',
      'status.conditions': { mergeKeys: ['type'] },
      'status.addresses': { mergeKeys: ['type'] },
    },
  }),
  builtin('', 'v1', 'pods', 'Pod', {
    readSubresources: ['log'],
    shortNames: ['po'],
    categories: ['all'],
    hasStatus: true,
    specDrivesGeneration: true,
    selectableFields: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
    patchMeta: {
      ...containerMeta('spec.containers'),
      ...containerMeta('spec.initContainers'),
      'spec.volumes': { mergeKeys: ['name'] },
      'spec.imagePullSecrets': { mergeKeys: ['name'] },
      'spec.hostAliases': { mergeKeys: ['ip'] },
      'status.conditions': { mergeKeys: ['type'] },
      'status.podIPs': { mergeKeys: ['ip'] },
    },
  }),
  builtin('', 'v1', 'services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    hasStatus: true,
    specDrivesGeneration: true,
    selectableFields: ['spec.type', 'spec.clusterIP'],
    patchMeta: {
      'spec.ports': { mergeKeys: ['port', 'protocol'] },
      'status.conditions': { mergeKeys: ['type'] },
    },
  }),
  builtin('', 'v1', 'secrets', 'Secret', { selectableFields: ['type'] }),
  builtin('', 'v1', 'serviceaccounts', 'ServiceAccount', {
    shortNames: ['sa'],
    patchMeta: { secrets: { mergeKeys: ['name'] }, imagePullSecrets: { mergeKeys: ['name'] } },
    actions: [{ subresource: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }],
  }),
  builtin('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  builtin('', 'v1', 'events', 'Event', {
    shortNames: ['ev'],
    selectableFields: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  }),
  builtin('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', { selectableFields: ['addressType'] }),
  builtin('coordination.k8s.io', 'v1', 'leases', 'Lease', { specDrivesGeneration: true }),
  builtin('events.k8s.io', 'v1', 'events', 'Event', {
    shortNames: ['ev'],
    selectableFields: ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'reportingController', 'type'],
  }),
  builtin('apps', 'v1', 'deployments', 'Deployment', {
    shortNames: ['deploy'],
    categories: ['all'],
    hasStatus: true,
    specDrivesGeneration: true,
    patchMeta: { ...containerMeta('spec.template.spec.containers'), ...containerMeta('spec.template.spec.initContainers'), 'spec.template.spec.volumes': { mergeKeys: ['name'] }, 'status.conditions': { mergeKeys: ['type'] } },
  }),
  builtin('apps', 'v1', 'daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    categories: ['all'],
    hasStatus: true,
    specDrivesGeneration: true,
    patchMeta: { ...containerMeta('spec.template.spec.containers'), ...containerMeta('spec.template.spec.initContainers'), 'spec.template.spec.volumes': { mergeKeys: ['name'] }, 'status.conditions': { mergeKeys: ['type'] } },
  }),
  builtin('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  builtin('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', { namespaced: false }),
  builtin('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  builtin('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', { namespaced: false }),
  builtin('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', { namespaced: false, categories: ['api-extensions'], patchMeta: { webhooks: { mergeKeys: ['name'] } } }),
  builtin('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', { namespaced: false, categories: ['api-extensions'], patchMeta: { webhooks: { mergeKeys: ['name'] } } }),
  builtin('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', { namespaced: false, createOnly: true }),
  builtin('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', { namespaced: false, createOnly: true }),
  builtin('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', { namespaced: false, createOnly: true }),
  builtin('authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', { namespaced: false, createOnly: true }),
  builtin('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', { namespaced: false, createOnly: true }),
  builtin('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', {
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    hasStatus: true,
    specDrivesGeneration: true,
  }),
];

export class CrdError extends Error {
  override readonly name = 'CrdError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`resources: ${field}: ${message}`);
  }
}

function str(obj: JsonObject, key: string, field: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new CrdError(field, 'Required value');
  return v;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Reads a CustomResourceDefinition (apiextensions.k8s.io/v1) into the resource type it serves. */
export function resourceTypeFromCrd(crd: JsonObject): ResourceType {
  const meta = isObject(crd['metadata']) ? crd['metadata'] : {};
  const spec = crd['spec'];
  if (!isObject(spec)) throw new CrdError('spec', 'Required value');
  const group = str(spec, 'group', 'spec.group');
  const names = spec['names'];
  if (!isObject(names)) throw new CrdError('spec.names', 'Required value');
  const plural = str(names, 'plural', 'spec.names.plural');
  const kind = str(names, 'kind', 'spec.names.kind');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(plural)) throw new CrdError('spec.names.plural', `Invalid value: "${plural}": a lowercase DNS label is required`);
  if (meta['name'] !== `${plural}.${group}`) {
    throw new CrdError('metadata.name', `Invalid value: ${JSON.stringify(meta['name'] ?? null)}: must be spec.names.plural+"."+spec.group`);
  }
  const scope = spec['scope'];
  if (scope !== 'Namespaced' && scope !== 'Cluster') throw new CrdError('spec.scope', `Unsupported value: ${JSON.stringify(scope ?? null)}: supported values: "Cluster", "Namespaced"`);
  const rawVersions = spec['versions'];
  if (!Array.isArray(rawVersions) || rawVersions.length === 0) throw new CrdError('spec.versions', 'Required value: must have exactly one version marked as storage version');
  const versions = rawVersions.map((v, i) => {
    if (!isObject(v)) throw new CrdError(`spec.versions[${i}]`, 'must be an object');
    return v;
  });
  const storage = versions.filter((v) => v['storage'] === true);
  if (storage.length !== 1) throw new CrdError('spec.versions', 'Invalid value: must have exactly one version marked as storage version');
  const served = versions.filter((v) => v['served'] === true);
  const order = [...storage, ...served.filter((v) => v['storage'] !== true)];
  const schemas: Record<string, JSONSchemaProps> = {};
  let hasStatus = false;
  for (const [i, v] of versions.entries()) {
    const name = str(v, 'name', `spec.versions[${i}].name`);
    const schema = isObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    if (!isObject(schema)) throw new CrdError(`spec.versions[${i}].schema.openAPIV3Schema`, 'Required value: schemas are required');
    schemas[name] = schema as JSONSchemaProps;
    const sub = v['subresources'];
    if (isObject(sub) && isObject(sub['status'])) hasStatus = true;
  }
  return {
    group,
    versions: order.map((v) => String(v['name'])),
    plural,
    singular: typeof names['singular'] === 'string' ? names['singular'] : kind.toLowerCase(),
    kind,
    listKind: typeof names['listKind'] === 'string' ? names['listKind'] : `${kind}List`,
    namespaced: scope === 'Namespaced',
    shortNames: strings(names['shortNames']),
    categories: strings(names['categories']),
    hasStatus,
    specDrivesGeneration: false,
    keepsStatusOnCreate: false,
    patchMeta: undefined,
    selectableFields: [],
    schemas,
    crd: `${plural}.${group}`,
  };
}
