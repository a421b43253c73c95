// What happens to an object between the request and the store: built-in defaults the
// real API server fills in, CRD status, and custom resources pruned, defaulted and
// validated against their CRD's schema, with `fieldValidation` deciding on unknown fields.

import { ApiError, badRequest, invalid, Reason } from './errors.js';
import { clone, ensureObject, isObject, type Json, type JsonObject } from './json.js';
import { CrdError, resourceTypeFromCrd, type ResourceType } from './resources.js';
import { applySchema } from './schema.js';
import { defaultWebhookConfiguration, unsupportedFeatureWarnings } from './webhooks/index.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Strict", "Warn" or "Ignore", got "${v}"`);
}

export interface AdmitContext {
  fieldValidation: FieldValidation;
  /** Warnings for the `Warning` response header. */
  warnings: string[];
}

/** For writes the server makes on its own (start-up namespaces, `--crds`): no request to set options. */
export function internalContext(): AdmitContext {
  return { fieldValidation: 'Warn', warnings: [] };
}

function list(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function defaultPorts(ports: Json[], targetPort: boolean): void {
  for (const p of ports) {
    if (!isObject(p)) continue;
    if (p['protocol'] === undefined) p['protocol'] = 'TCP';
    if (targetPort && p['targetPort'] === undefined && p['port'] !== undefined) p['targetPort'] = p['port'];
  }
}

/** A small part of the defaulting kube-apiserver does: the fields Headland and kubectl rely on. */
function defaultBuiltin(type: ResourceType, obj: JsonObject): void {
  const key = `${type.group}/${type.plural}`;
  if (key === '/services') {
    const spec = ensureObject(obj, ['spec']);
    spec['type'] ??= 'ClusterIP';
    spec['sessionAffinity'] ??= 'None';
    defaultPorts(list(spec['ports']), true);
    if ((spec['type'] === 'LoadBalancer' || spec['type'] === 'NodePort') && spec['externalTrafficPolicy'] === undefined) {
      spec['externalTrafficPolicy'] = 'Cluster';
    }
    if (spec['type'] !== 'ExternalName') spec['internalTrafficPolicy'] ??= 'Cluster';
    if (spec['type'] === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
  } else if (key === '/pods') {
    const spec = ensureObject(obj, ['spec']);
    for (const c of [...list(spec['containers']), ...list(spec['initContainers'])]) {
      if (isObject(c)) defaultPorts(list(c['ports']), false);
    }
  } else if (key === 'discovery.k8s.io/endpointslices') {
    defaultPorts(list(obj['ports']), false);
  } else if (key === '/secrets') {
    obj['type'] ??= 'Opaque';
  } else if (key === '/namespaces') {
    ensureObject(obj, ['status'])['phase'] ??= 'Active';
    // Every namespace carries its own name as a label (NamespaceDefaultLabelName, GA in 1.22),
    // set on each write, so a webhook's namespaceSelector can pick one namespace.
    const name = isObject(obj['metadata']) ? obj['metadata']['name'] : undefined;
    if (typeof name === 'string' && name !== '') ensureObject(obj, ['metadata', 'labels'])['kubernetes.io/metadata.name'] = name;
  }
}

function admitCrd(obj: JsonObject): void {
  let type: ResourceType;
  try {
    type = resourceTypeFromCrd(obj);
  } catch (e) {
    if (!(e instanceof CrdError)) throw e;
    const name = isObject(obj['metadata']) ? String(obj['metadata']['name'] ?? '') : '';
    const detail = e.message.slice(`resources: ${e.field}: `.length);
    throw invalid('CustomResourceDefinition', 'apiextensions.k8s.io', name, [{ field: e.field, type: 'FieldValueInvalid', detail }]);
  }
  const spec = obj['spec'] as JsonObject;
  const status = ensureObject(obj, ['status']);
  status['acceptedNames'] = clone(spec['names'] ?? {});
  status['storedVersions'] = [type.versions[0] ?? ''];
  status['conditions'] = [
    { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: '1970-01-01T00:00:00Z' },
    { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: '1970-01-01T00:00:00Z' },
  ];
  spec['conversion'] ??= { strategy: 'None' };
}

/** Prunes, defaults and validates a custom resource; unknown fields per `fieldValidation`. */
function admitCustom(type: ResourceType, obj: JsonObject, ctx: AdmitContext): JsonObject {
  const version = type.versions[0] ?? '';
  const schema = type.schemas[version];
  if (schema === undefined) return obj;
  const outcome = applySchema(obj, schema);
  const name = isObject(obj['metadata']) ? String(obj['metadata']['name'] ?? '') : '';
  if (outcome.pruned.length > 0) {
    if (ctx.fieldValidation === 'Strict') {
      const fields = outcome.pruned.map((p) => `unknown field "${p}"`);
      throw new ApiError(400, Reason.BadRequest, `${type.kind} in version "${version}" cannot be handled as a ${type.kind}: strict decoding error: ${fields.join(', ')}`);
    }
    if (ctx.fieldValidation === 'Warn') ctx.warnings.push(...outcome.pruned.map((p) => `unknown field "${p}"`));
  }
  if (outcome.errors.length > 0) throw invalid(type.kind, type.group, name, outcome.errors);
  return outcome.value;
}

export function admit(type: ResourceType, obj: JsonObject, ctx: AdmitContext): JsonObject {
  if (type.crd !== undefined) return admitCustom(type, obj, ctx);
  const out = clone(obj);
  if (type.group === 'apiextensions.k8s.io' && type.plural === 'customresourcedefinitions') admitCrd(out);
  else defaultBuiltin(type, out);
  if (type.group === 'admissionregistration.k8s.io' && (type.plural === 'validatingwebhookconfigurations' || type.plural === 'mutatingwebhookconfigurations')) {
    defaultWebhookConfiguration(out, type.plural === 'validatingwebhookconfigurations' ? 'validating' : 'mutating');
    ctx.warnings.push(...unsupportedFeatureWarnings(out));
  }
  return out;
}
