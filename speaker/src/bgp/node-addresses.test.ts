import { nodeAddresses } from './node-addresses.js';

const node = (addresses: unknown) => ({ metadata: { name: 'n' }, status: { addresses } });

test.each([
  ['InternalIP of each family', node([{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '198.18.0.11' }, { type: 'InternalIP', address: '2001:DB8::11' }]), undefined, { ipv4: '198.18.0.11', ipv6: '2001:db8::11' }],
  ['InternalIP before ExternalIP, whatever the order', node([{ type: 'ExternalIP', address: '203.0.113.99' }, { type: 'InternalIP', address: '198.18.0.11' }]), undefined, { ipv4: '198.18.0.11', ipv6: undefined }],
  ['the flags win over the Node', node([{ type: 'InternalIP', address: '198.18.0.11' }]), ['198.18.0.99'], { ipv4: '198.18.0.99', ipv6: undefined }],
  ['malformed entries are skipped', node([{ type: 'InternalIP', address: 'not-an-ip' }, { type: 'InternalIP' }, 7, null, { type: 'InternalIP', address: '198.18.0.12' }]), undefined, { ipv4: '198.18.0.12', ipv6: undefined }],
  ['no Node yet', undefined, undefined, { ipv4: undefined, ipv6: undefined }],
  ['addresses not a list', node('198.18.0.11'), undefined, { ipv4: undefined, ipv6: undefined }],
])('%s', (_name, obj, flags, expected) => {
  expect(nodeAddresses(obj, flags)).toEqual(expected);
});
