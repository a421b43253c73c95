// What this node answers ARP/NDP for per Service, as the content of its ServiceL2Status objects,
// from one election; run.ts diffs it against the last one and hands changes to a StatusWriter.
import { API_VERSION, STATUS_LABELS, type ServiceL2StatusStatus } from '@headland/api';
import { statusObjectName } from '../status/service-status.js';
import type { WritableStatus } from '../status/writer.js';
import type { L2Election } from './election/index.js';

export const L2_STATUS_KIND = 'ServiceL2Status';
export const L2_STATUS_PLURAL = 'servicel2statuses';

/** Service ("namespace/name") -> its status content, for every Service this node answers for. */
export function l2StatusContents(election: L2Election, node: string): Map<string, ServiceL2StatusStatus> {
  const byService = new Map<string, ServiceL2StatusStatus['addresses']>();
  for (const owner of election.owners.values()) {
    if (owner.node !== node) continue;
    for (const service of owner.services) {
      let list = byService.get(service);
      if (list === undefined) byService.set(service, (list = []));
      list.push({ ip: owner.ip, ...(owner.interfaces === undefined ? {} : { interfaces: [...owner.interfaces] }) });
    }
  }
  const out = new Map<string, ServiceL2StatusStatus>();
  for (const [service, addresses] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
    const slash = service.indexOf('/');
    out.set(service, { node, serviceNamespace: service.slice(0, slash), serviceName: service.slice(slash + 1), addresses: addresses.sort((a, b) => a.ip.localeCompare(b.ip)) });
  }
  return out;
}

/** Services whose content differs between two results (appeared, changed or gone). */
export function changedServices(before: ReadonlyMap<string, ServiceL2StatusStatus>, after: ReadonlyMap<string, ServiceL2StatusStatus>): string[] {
  const out: string[] = [];
  for (const s of new Set([...before.keys(), ...after.keys()])) if (JSON.stringify(before.get(s)) !== JSON.stringify(after.get(s))) out.push(s);
  return out.sort();
}

/** The object, named like the BGP one ("namespace.service.node") and carrying the same labels. */
export function l2StatusObject(namespace: string, content: ServiceL2StatusStatus): WritableStatus & { readonly status: ServiceL2StatusStatus } {
  return {
    apiVersion: API_VERSION,
    kind: L2_STATUS_KIND,
    metadata: {
      name: statusObjectName(content.node, `${content.serviceNamespace}/${content.serviceName}`),
      namespace,
      labels: { [STATUS_LABELS.serviceNamespace]: content.serviceNamespace, [STATUS_LABELS.serviceName]: content.serviceName, [STATUS_LABELS.node]: content.node },
    },
    spec: {},
    status: content,
  };
}
