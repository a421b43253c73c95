// The bgp-speaker config's TCP MD5, TTL and BFD fields per peer: passed through when valid, named when not.
import { parseConfig } from './config.js';

const withPeer = (peer: Record<string, unknown>): string => JSON.stringify({ localAs: 64512, routerId: '198.18.0.1', peers: [{ address: '198.18.0.2', peerAs: 64600, ...peer }] });

test.each([
  ['password', { password: 'swordfish' }],
  ['eBGP multihop ttl', { ttl: 2 }],
  ['GTSM', { gtsm: true }],
  ['GTSM 2 hops away', { gtsm: true, gtsmHops: 2 }],
  ['BFD', { bfd: { transmitIntervalMs: 50, receiveIntervalMs: 50, detectMultiplier: 3 } }],
])('a peer with %s keeps it', (_name, fields) => {
  expect(parseConfig(withPeer(fields)).peers[0]).toMatchObject(fields);
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ['an empty password', { password: '' }, /^cli-config: peers\[0\] password must be a non-empty string/],
  ['a password as a number', { password: 1234 }, /^cli-config: peers\[0\] password must be/],
  ['an 81-byte password', { password: 'x'.repeat(81) }, /^cli-config: peers\[0\] password is 81 bytes/],
  ['ttl 0', { ttl: 0 }, /^cli-config: peers\[0\] ttl 0 is not 1..255/],
  ['gtsm "yes"', { gtsm: 'yes' }, /^cli-config: peers\[0\] gtsm must be true or false/],
  ['ttl with gtsm', { gtsm: true, ttl: 3 }, /^cli-config: peers\[0\] ttl and gtsm exclude each other/],
  ['gtsmHops alone', { gtsmHops: 3 }, /^cli-config: peers\[0\] gtsmHops needs gtsm: true/],
  ['a BFD interval of 1 ms', { bfd: { transmitIntervalMs: 1 } }, /^cli-config: peers\[0\] bfd\.transmitIntervalMs 1 is not a whole number of milliseconds in 10\.\.60000/],
])('a peer with %s is refused', (_name, fields, message) => {
  expect(() => parseConfig(withPeer(fields))).toThrow(message);
});
