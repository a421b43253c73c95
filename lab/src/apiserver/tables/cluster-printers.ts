// Printers for the networking, coordination, RBAC and admission types Headland's clusters
// carry: EndpointSlices, Leases, (Cluster)RoleBindings and webhook configurations.

import type { Json } from '../json.js';
import { since } from './duration.js';
import { AGE_COLUMN, column, count, createdOf, int, list, NAME_COLUMN, nameOf, obj, str, type Printer } from './printer.js';

/** Up to three entries, then ` + N more...`; `<unset>` for none (listWithMoreString). */
function firstThree(entries: string[]): string {
  if (entries.length > 3) return `${entries.slice(0, 3).join(',')} + ${entries.length - 3} more...`;
  return entries.length === 0 ? '<unset>' : entries.join(',');
}

function slicePorts(ports: Json | undefined): string {
  return firstThree(
    list(ports)
      .map(obj)
      .map((p) => (typeof p['port'] === 'number' ? String(int(p['port'])) : typeof p['name'] === 'string' ? p['name'] : '*')),
  );
}

function sliceEndpoints(endpoints: Json | undefined): string {
  return firstThree(list(endpoints).flatMap((e) => list(obj(e)['addresses']).map(str)));
}

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', 'IPv4, IPv6 or FQDN: the kind of every address in the slice.'),
    column('Ports', 'string', 'The ports of the slice, by number or name.'),
    column('Endpoints', 'string', 'The addresses of the endpoints.'),
    AGE_COLUMN,
  ],
  print: (s, now) => ({ cells: [nameOf(s), str(s['addressType']), slicePorts(s['ports']), sliceEndpoints(s['endpoints']), since(createdOf(s), now)] }),
};

export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, column('Holder', 'string', 'Who holds the lease now.'), AGE_COLUMN],
  print: (l, now) => ({ cells: [nameOf(l), str(obj(l['spec'])['holderIdentity']), since(createdOf(l), now)] }),
};

/** rbac's SubjectsStrings: users, groups and `namespace/name` service accounts. */
function subjects(all: Json | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list(all).map(obj)) {
    if (s['kind'] === 'User') users.push(str(s['name']));
    else if (s['kind'] === 'Group') groups.push(str(s['name']));
    else if (s['kind'] === 'ServiceAccount') sas.push(`${str(s['namespace'])}/${str(s['name'])}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

export const roleBindingPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Role', 'string', 'The role granted, as Kind/name.'),
    AGE_COLUMN,
    column('Users', 'string', 'Users the binding grants the role to.', { priority: 1 }),
    column('Groups', 'string', 'Groups the binding grants the role to.', { priority: 1 }),
    column('ServiceAccounts', 'string', 'Service accounts the binding grants the role to.', { priority: 1 }),
  ],
  print(b, now) {
    const ref = obj(b['roleRef']);
    return { cells: [nameOf(b), `${str(ref['kind'])}/${str(ref['name'])}`, since(createdOf(b), now), ...subjects(b['subjects'])] };
  },
};

export const webhookConfigurationPrinter: Printer = {
  columns: [NAME_COLUMN, column('Webhooks', 'integer', 'How many webhooks the configuration holds.'), AGE_COLUMN],
  print: (w, now) => ({ cells: [nameOf(w), count(w['webhooks']), since(createdOf(w), now)] }),
};
