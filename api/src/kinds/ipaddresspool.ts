// IPAddressPool: the addresses the controller hands to LoadBalancer Services, and which
// Services may take them.
import { array, boolean, integer, labelSelector, object, optional, string, type Infer } from '../schema/builder.js';
import { ageColumn, conditions, selectorDoc, type KindInfo, type Resource } from './common.js';

export const ipAddressPoolSpec = object({
  addresses: array(
    string({ description: 'A CIDR (192.0.2.0/24, 2001:db8::/64) or an inclusive range (192.0.2.10-192.0.2.20).' }),
    { minItems: 1, description: 'The addresses of the pool, IPv4 and IPv6 mixed as needed. No two may overlap, here or in another pool.' },
  ),
  autoAssign: optional(boolean({ default: true, description: 'Whether the controller may pick from this pool for a Service that names no pool or IP. Default true.' })),
  avoidBuggyIPs: optional(boolean({ default: false, description: 'Skip IPv4 addresses ending in .0 and .255, which some old client stacks drop.' })),
  serviceAllocation: optional(
    object(
      {
        priority: optional(integer({ minimum: 0, description: 'Lower is tried first when several pools match a Service.' })),
        namespaces: optional(array(string(), { description: 'Namespaces whose Services may use this pool.' })),
        namespaceSelectors: optional(array(labelSelector, { description: selectorDoc('the namespaces whose Services may use this pool') })),
        serviceSelectors: optional(array(labelSelector, { description: selectorDoc('the Services that may use this pool') })),
      },
      { description: 'Reserve the pool for some Services. Absent: any Service may use it.' },
    ),
  ),
});
export type IPAddressPoolSpec = Infer<typeof ipAddressPoolSpec>;

export const ipAddressPoolStatus = object({
  assignedIPv4: optional(integer({ minimum: 0, description: 'IPv4 addresses assigned to Services.' })),
  assignedIPv6: optional(integer({ minimum: 0, description: 'IPv6 addresses assigned to Services.' })),
  // Decimal strings, because an IPv6 /64 holds 2^64 addresses and no int64 can count that.
  availableIPv4: optional(string({ pattern: '^[0-9]+$', description: 'IPv4 addresses still free, as a decimal string.' })),
  availableIPv6: optional(string({ pattern: '^[0-9]+$', description: 'IPv6 addresses still free, as a decimal string (exact even for a /64).' })),
  conditions,
});
export type IPAddressPoolStatus = Infer<typeof ipAddressPoolStatus>;

export type IPAddressPool = Resource<'IPAddressPool', IPAddressPoolSpec, IPAddressPoolStatus>;

export const ipAddressPoolKind: KindInfo<IPAddressPoolSpec, IPAddressPoolStatus> = {
  kind: 'IPAddressPool',
  plural: 'ipaddresspools',
  singular: 'ipaddresspool',
  shortNames: ['ipool'],
  scope: 'Namespaced',
  description: 'A pool of IP addresses that Headland assigns to LoadBalancer Services.',
  spec: ipAddressPoolSpec,
  status: ipAddressPoolStatus,
  printerColumns: [
    { name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' },
    { name: 'Avoid Buggy IPs', type: 'boolean', jsonPath: '.spec.avoidBuggyIPs', priority: 1 },
    { name: 'Assigned IPv4', type: 'integer', jsonPath: '.status.assignedIPv4' },
    { name: 'Available IPv4', type: 'string', jsonPath: '.status.availableIPv4' },
    { name: 'Assigned IPv6', type: 'integer', jsonPath: '.status.assignedIPv6' },
    { name: 'Available IPv6', type: 'string', jsonPath: '.status.availableIPv6' },
    ageColumn,
  ],
};
