// Node readiness and addresses, membership peers, and the membership key from the Secret.
import { describe, expect, test } from '@jest/globals';
import { membershipKey, membershipPeers, nodeFacts } from './cluster-nodes.js';

const nodeObj = (name: string, ready: string | undefined, addresses: { type: string; address: string }[]) => ({
  metadata: { name },
  status: { conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready }], addresses },
});

describe('nodeFacts', () => {
  test.each<{ name: string; obj: unknown; family?: 4 | 6; facts: unknown }>([
    { name: 'ready with an InternalIP', obj: nodeObj('n1', 'True', [{ type: 'InternalIP', address: '198.18.10.11' }]), facts: { name: 'n1', ready: true, address: '198.18.10.11' } },
    { name: 'not ready', obj: nodeObj('n1', 'False', []), facts: { name: 'n1', ready: false, address: undefined } },
    { name: 'no Ready condition', obj: nodeObj('n1', undefined, []), facts: { name: 'n1', ready: false, address: undefined } },
    { name: 'ExternalIP and Hostname are not used', obj: nodeObj('n1', 'True', [{ type: 'Hostname', address: 'n1' }, { type: 'ExternalIP', address: '198.18.0.9' }]), facts: { name: 'n1', ready: true, address: undefined } },
    {
      name: 'the family asked for first',
      obj: nodeObj('n1', 'True', [{ type: 'InternalIP', address: '2001:db8::11' }, { type: 'InternalIP', address: '198.18.10.11' }]),
      facts: { name: 'n1', ready: true, address: '198.18.10.11' },
    },
    { name: 'another family when that is all', obj: nodeObj('n1', 'True', [{ type: 'InternalIP', address: '2001:db8::11' }]), facts: { name: 'n1', ready: true, address: '2001:db8::11' } },
    { name: 'a bad address is skipped', obj: nodeObj('n1', 'True', [{ type: 'InternalIP', address: 'nope' }]), facts: { name: 'n1', ready: true, address: undefined } },
    { name: 'no name', obj: { metadata: {} }, facts: undefined },
    { name: 'not an object', obj: 'x', facts: undefined },
    { name: 'status of the wrong shape', obj: { metadata: { name: 'n1' }, status: { conditions: 'x', addresses: 7 } }, facts: { name: 'n1', ready: false, address: undefined } },
  ])('$name', ({ obj, family, facts }) => {
    expect(nodeFacts(obj, family)).toEqual(facts);
  });
});

test('membershipPeers: every other node with an address, sorted, on the port', () => {
  const facts = [
    { name: 'n3', ready: true, address: '198.18.10.13' },
    { name: 'n1', ready: true, address: '198.18.10.11' },
    { name: 'n2', ready: false, address: undefined },
  ];
  expect(membershipPeers(facts, 'n1', 7946)).toEqual([{ name: 'n3', address: '198.18.10.13', port: 7946 }]);
});

describe('membershipKey', () => {
  const key = 'k'.repeat(16);
  test.each<{ name: string; secret: unknown; key?: string; problem?: RegExp }>([
    { name: 'base64 data', secret: { data: { secretkey: Buffer.from(key).toString('base64') } }, key },
    { name: 'stringData', secret: { stringData: { secretkey: key } }, key },
    { name: 'no Secret', secret: undefined, problem: /^speaker\/l2: Secret memberlist does not exist/ },
    { name: 'no such field', secret: { data: { other: 'eA==' } }, problem: /^speaker\/l2: Secret memberlist has no key "secretkey"/ },
    { name: 'a field of the wrong type', secret: { data: { secretkey: 5 } }, problem: /has no key "secretkey"/ },
    { name: 'too short', secret: { stringData: { secretkey: 'short' } }, problem: /^speaker\/l2: Secret memberlist key "secretkey" has 5 bytes, fewer than 16/ },
  ])('$name', ({ secret, key: expected, problem }) => {
    const outcome = membershipKey(secret, 'memberlist', 'secretkey');
    if (expected !== undefined) expect(Buffer.from(outcome.key ?? []).toString()).toBe(expected);
    else expect(outcome.problem).toMatch(problem!);
  });
});
