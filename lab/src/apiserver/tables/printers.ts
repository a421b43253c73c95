// Which printer a resource gets: kube-apiserver's built-in printers by group and resource,
// and for everything else the generic NAME / CREATED AT table of rest.NewDefaultTableConvertor.

import { createdOf, column, NAME_COLUMN, nameOf, type Printer } from './printer.js';
import { endpointSlicePrinter, leasePrinter, roleBindingPrinter, webhookConfigurationPrinter } from './cluster-printers.js';
import { configMapPrinter, endpointsPrinter, namespacePrinter, nodePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core-printers.js';
import { coreEventPrinter, eventsApiEventPrinter } from './event-printer.js';
import { podPrinter } from './pod-printer.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './workload-printers.js';
import { timestamp, ZERO_TIME } from './duration.js';

const BUILTIN: ReadonlyMap<string, Printer> = new Map([
  ['/services', servicePrinter],
  ['/pods', podPrinter],
  ['/nodes', nodePrinter],
  ['/namespaces', namespacePrinter],
  ['/secrets', secretPrinter],
  ['/configmaps', configMapPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/endpoints', endpointsPrinter],
  ['/events', coreEventPrinter],
  ['events.k8s.io/events', eventsApiEventPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', roleBindingPrinter],
  ['admissionregistration.k8s.io/mutatingwebhookconfigurations', webhookConfigurationPrinter],
  ['admissionregistration.k8s.io/validatingwebhookconfigurations', webhookConfigurationPrinter],
]);

/** The creation time in UTC, RFC 3339, as the default convertor writes it (Go's zero time if unset). */
function createdAt(v: unknown): string {
  return new Date(timestamp(v) ?? ZERO_TIME).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Roles, ClusterRoles, CRDs and every type without a printer of its own. */
export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', 'When the object was created.')],
  print: (o) => ({ cells: [nameOf(o), createdAt(createdOf(o))] }),
};

/** The built-in printer for a resource, undefined where the real server uses the default table. */
export function builtinPrinter(group: string, plural: string): Printer | undefined {
  return BUILTIN.get(`${group}/${plural}`);
}
