import { goNetError, joinHostPort, type SocketEnds } from './net-errors.js';

const ends: SocketEnds = { remote: '10.0.0.5:443', local: '10.0.0.1:50000', lookupHost: 'hook.example.com' };
const err = (message: string, fields: Record<string, unknown> = {}): Error => Object.assign(new Error(message), fields);

describe('Go wording of socket failures', () => {
  test.each<[string, Error, SocketEnds, string]>([
    ['refused, address from the error', err('connect ECONNREFUSED 127.0.0.1:8443', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 8443 }), ends, 'dial tcp 127.0.0.1:8443: connect: connection refused'],
    ['refused, IPv6', err('connect ECONNREFUSED ::1:8443', { code: 'ECONNREFUSED', address: '::1', port: 8443 }), ends, 'dial tcp [::1]:8443: connect: connection refused'],
    ['no route', err('connect EHOSTUNREACH 10.0.0.5:443', { code: 'EHOSTUNREACH' }), ends, 'dial tcp 10.0.0.5:443: connect: no route to host'],
    ['unknown host', err('getaddrinfo ENOTFOUND hook.example.com', { code: 'ENOTFOUND' }), ends, 'dial tcp: lookup hook.example.com: no such host'],
    ['closed without an answer', err('socket hang up', { code: 'ECONNRESET' }), ends, 'EOF'],
    ['closed during the handshake', err('Client network socket disconnected before secure TLS connection was established', { code: 'ECONNRESET' }), ends, 'EOF'],
    ['reset', err('read ECONNRESET', { code: 'ECONNRESET' }), ends, 'read tcp 10.0.0.1:50000->10.0.0.5:443: read: connection reset by peer'],
    ['plain HTTP server', err('ssl3_get_record:wrong version number', { code: 'EPROTO' }), ends, 'http: server gave HTTP response to HTTPS client'],
    ['anything else keeps its text', err('something odd', { code: 'EWHATEVER' }), ends, 'something odd'],
  ])('%s', (_name, e, s, expected) => {
    expect(goNetError(e, s)).toBe(expected);
  });

  test.each([
    ['127.0.0.1', 443, '127.0.0.1:443'],
    ['::1', 8443, '[::1]:8443'],
    ['hook.ns.svc', 443, 'hook.ns.svc:443'],
  ])('joinHostPort(%s, %i)', (host, port, expected) => {
    expect(joinHostPort(host, port)).toBe(expected);
  });
});
