import { BgpConfigError } from '../fsm/config.js';
import { socketSecurity, socketSecurityProblem } from './peer-config.js';

const address = '198.18.0.2';

describe('socketSecurity: what a peer asks of its sockets', () => {
  test.each([
    ['nothing: plain Node sockets', {}, undefined],
    ['a password', { password: 'swordfish' }, { password: 'swordfish' }],
    ['eBGP multihop TTL', { ttl: 3 }, { ttl: 3 }],
    ['GTSM, directly connected', { gtsm: true }, { ttl: 255, minTtl: 255 }],
    ['GTSM, 3 hops away', { gtsm: true, gtsmHops: 3 }, { ttl: 255, minTtl: 253 }],
    ['GTSM off', { gtsm: false }, undefined],
    ['password and GTSM', { password: 'k', gtsm: true }, { password: 'k', ttl: 255, minTtl: 255 }],
    ['an 80-byte password', { password: 'p'.repeat(80) }, { password: 'p'.repeat(80) }],
  ])('%s', (_name, peer, expected) => expect(socketSecurity({ address, ...peer })).toEqual(expected));

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['empty password', { password: '' }, /password must be a non-empty string/],
    ['password not text', { password: 42 }, /password must be a non-empty string/],
    ['81-byte password', { password: 'p'.repeat(81) }, /password is 81 bytes; TCP MD5 keys hold at most 80/],
    ['ttl 0', { ttl: 0 }, /ttl 0 is not 1..255/],
    ['ttl 256', { ttl: 256 }, /ttl 256 is not 1..255/],
    ['ttl as text', { ttl: '2' }, /ttl 2 is not 1..255/],
    ['gtsm as text', { gtsm: 'yes' }, /gtsm must be true or false/],
    ['gtsmHops 0', { gtsm: true, gtsmHops: 0 }, /gtsmHops 0 is not 1..254/],
    ['gtsmHops 255', { gtsm: true, gtsmHops: 255 }, /gtsmHops 255 is not 1..254/],
    ['gtsmHops without gtsm', { gtsmHops: 2 }, /gtsmHops needs gtsm: true/],
    ['ttl with gtsm', { gtsm: true, ttl: 5 }, /ttl and gtsm exclude each other/],
  ])('%s is refused, naming the peer', (_name, peer, message) => {
    const run = () => socketSecurity({ address, ...(peer as object) });
    expect(run).toThrow(BgpConfigError);
    expect(run).toThrow(new RegExp(`^peer-config: peer ${address}: ${message.source}`));
    expect(socketSecurityProblem(peer)).toMatch(message);
  });
});
