// Stored Validating/MutatingWebhookConfiguration objects read into the webhooks the dispatcher calls:
// the v1 defaults applied (also exported for the write path), ordered by configuration name as the real server orders them.

import { clone, isObject, type Json, type JsonObject } from '../json.js';

export type WebhookType = 'validating' | 'mutating';

export interface Rule {
  readonly operations: readonly string[];
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  /** "*", "Cluster" or "Namespaced". */
  readonly scope: string;
}

export interface ServiceReference {
  readonly namespace: string;
  readonly name: string;
  readonly path: string | undefined;
  readonly port: number;
}

export interface ClientConfig {
  readonly url: string | undefined;
  readonly service: ServiceReference | undefined;
  /** Base64 of PEM certificates, as the API carries `caBundle` bytes in JSON. */
  readonly caBundle: string | undefined;
}

export interface MatchCondition {
  readonly name: string;
  readonly expression: string;
}

export interface Webhook {
  readonly type: WebhookType;
  /** `CONFIGURATION/NAME/N`, N counting duplicate names: the real server's webhook UID. */
  readonly uid: string;
  readonly configurationName: string;
  readonly name: string;
  readonly clientConfig: ClientConfig;
  readonly rules: readonly Rule[];
  /** "Fail" or "Ignore"; anything but "Ignore" fails closed, as in the real dispatcher. */
  readonly failurePolicy: string;
  /** "Exact" or "Equivalent". */
  readonly matchPolicy: string;
  readonly namespaceSelector: Json;
  readonly objectSelector: Json;
  readonly sideEffects: string | undefined;
  readonly timeoutSeconds: number;
  readonly admissionReviewVersions: readonly string[];
  readonly matchConditions: readonly MatchCondition[];
  /** Mutating only: "Never" or "IfNeeded" (reinvocation is not implemented). */
  readonly reinvocationPolicy: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const MAX_TIMEOUT_SECONDS = 30;

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strs(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function list(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function nameOf(obj: JsonObject): string {
  return isObject(obj['metadata']) ? (str(obj['metadata']['name']) ?? '') : '';
}

/**
 * Fills in what kube-apiserver defaults on write (SetDefaults_ValidatingWebhook / _MutatingWebhook,
 * _Rule, _ServiceReference), so stored configurations read back as on a real cluster. Mutates `obj`.
 */
export function defaultWebhookConfiguration(obj: JsonObject, type: WebhookType): JsonObject {
  for (const hook of list(obj['webhooks'])) {
    hook['failurePolicy'] ??= 'Fail';
    hook['matchPolicy'] ??= 'Equivalent';
    hook['namespaceSelector'] ??= {};
    hook['objectSelector'] ??= {};
    hook['timeoutSeconds'] ??= DEFAULT_TIMEOUT_SECONDS;
    if (type === 'mutating') hook['reinvocationPolicy'] ??= 'Never';
    for (const rule of list(hook['rules'])) rule['scope'] ??= '*';
    const cc = hook['clientConfig'];
    if (isObject(cc) && isObject(cc['service'])) cc['service']['port'] ??= 443;
  }
  return obj;
}

function clientConfigOf(raw: Json | undefined): ClientConfig {
  const cc = isObject(raw) ? raw : {};
  const svc = cc['service'];
  return {
    url: str(cc['url']),
    caBundle: str(cc['caBundle']),
    service: isObject(svc)
      ? { namespace: str(svc['namespace']) ?? '', name: str(svc['name']) ?? '', path: str(svc['path']), port: typeof svc['port'] === 'number' ? svc['port'] : 443 }
      : undefined,
  };
}

/** A stored timeout outside 1..30 (validation refuses those on a real server) is clamped into range. */
function timeoutOf(v: Json | undefined): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULT_TIMEOUT_SECONDS;
  return Math.min(MAX_TIMEOUT_SECONDS, Math.max(1, Math.trunc(v)));
}

function webhookOf(type: WebhookType, configurationName: string, uid: string, hook: JsonObject): Webhook {
  return {
    type,
    uid,
    configurationName,
    name: str(hook['name']) ?? '',
    clientConfig: clientConfigOf(hook['clientConfig']),
    rules: list(hook['rules']).map((r) => ({
      operations: strs(r['operations']),
      apiGroups: strs(r['apiGroups']),
      apiVersions: strs(r['apiVersions']),
      resources: strs(r['resources']),
      scope: str(r['scope']) ?? '*',
    })),
    failurePolicy: str(hook['failurePolicy']) ?? 'Fail',
    matchPolicy: str(hook['matchPolicy']) ?? 'Equivalent',
    namespaceSelector: clone(hook['namespaceSelector'] ?? {}),
    objectSelector: clone(hook['objectSelector'] ?? {}),
    sideEffects: str(hook['sideEffects']),
    timeoutSeconds: timeoutOf(hook['timeoutSeconds']),
    admissionReviewVersions: strs(hook['admissionReviewVersions']),
    matchConditions: list(hook['matchConditions']).map((m) => ({ name: str(m['name']) ?? '', expression: str(m['expression']) ?? '' })),
    reinvocationPolicy: str(hook['reinvocationPolicy']) ?? 'Never',
  };
}

/** Every webhook of the configurations, configurations sorted by name (stable), webhooks in their listed order. */
export function webhooksOf(configurations: readonly JsonObject[], type: WebhookType): Webhook[] {
  const sorted = [...configurations].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  const out: Webhook[] = [];
  for (const config of sorted) {
    const configName = nameOf(config);
    const seen = new Map<string, number>();
    for (const hook of list(config['webhooks'])) {
      const name = str(hook['name']) ?? '';
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      out.push(webhookOf(type, configName, `${configName}/${name}/${n}`, hook));
    }
  }
  return out;
}

/**
 * Warnings for the write of a configuration that uses what headland-apiserver does not evaluate,
 * for the `Warning` header: the request is accepted, and such webhooks behave as documented in match.ts.
 */
export function unsupportedFeatureWarnings(obj: JsonObject): string[] {
  const warnings: string[] = [];
  list(obj['webhooks']).forEach((hook, i) => {
    if (list(hook['matchConditions']).length > 0) {
      warnings.push(
        `webhooks[${i}].matchConditions: headland-apiserver does not evaluate CEL; requests this webhook matches are refused (failurePolicy Fail) or skip the webhook (failurePolicy Ignore)`,
      );
    }
    if (hook['reinvocationPolicy'] === 'IfNeeded') {
      warnings.push(`webhooks[${i}].reinvocationPolicy: headland-apiserver calls each mutating webhook once; IfNeeded is treated as Never`);
    }
  });
  return warnings;
}
