// Which collection an informer follows (apiVersion, plural, optional namespace and
// selectors) and the REST paths that come from it, checked before any request is made.

import { ConfigError } from './errors.js';

export interface ResourceRef {
  readonly apiVersion: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const PLURAL = /^[a-z][-a-z0-9]*$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

export function describeRef(ref: ResourceRef): string {
  return `${ref.apiVersion} ${ref.plural}${ref.namespace === undefined ? '' : ` in ${ref.namespace}`}`;
}

export function checkRef(ref: ResourceRef): void {
  const where = `resource-ref: ${JSON.stringify(ref.apiVersion)} ${JSON.stringify(ref.plural)}`;
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const version = slash < 0 ? ref.apiVersion : ref.apiVersion.slice(slash + 1);
  if (slash >= 0 && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) throw new ConfigError(`${where}: apiVersion group ${JSON.stringify(group)} is not a DNS subdomain`);
  if (!VERSION.test(version)) throw new ConfigError(`${where}: apiVersion version ${JSON.stringify(version)} is not like v1, v1beta1 or v2alpha3`);
  if (slash < 0 && version !== 'v1') throw new ConfigError(`${where}: the core group only serves v1; a group needs "group/version"`);
  if (!PLURAL.test(ref.plural)) throw new ConfigError(`${where}: plural must be a lower-case resource name`);
  if (!KIND.test(ref.kind)) throw new ConfigError(`${where}: kind ${JSON.stringify(ref.kind)} must be a CamelCase name`);
  if (ref.namespace !== undefined && (ref.namespace.length > 63 || !DNS_LABEL.test(ref.namespace))) {
    throw new ConfigError(`${where}: namespace ${JSON.stringify(ref.namespace)} is not a DNS label`);
  }
}

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection's path: all namespaces unless the ref names one. */
export function collectionPath(ref: ResourceRef): string {
  checkRef(ref);
  const ns = ref.namespace === undefined ? '' : `/namespaces/${ref.namespace}`;
  return `${groupVersionPath(ref.apiVersion)}${ns}/${ref.plural}`;
}

/** One object's path; `namespace` undefined for cluster-scoped types. */
export function objectPath(apiVersion: string, plural: string, namespace: string | undefined, name: string): string {
  if (name === '' || name.includes('/')) throw new ConfigError(`resource-ref: object name ${JSON.stringify(name)} is empty or has a slash`);
  const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${groupVersionPath(apiVersion)}${ns}/${plural}/${encodeURIComponent(name)}`;
}
