import { ConfigError } from './errors.js';
import { parseListenAddress } from './listen-address.js';

test.each([
  ['127.0.0.1:7472', '127.0.0.1', 7472],
  [':7472', '0.0.0.0', 7472],
  ['[::1]:0', '::1', 0],
  ['[::]:9090', '::', 9090],
  ['[2001:db8::1]:65535', '2001:db8::1', 65535],
  ['localhost:8080', 'localhost', 8080],
  ['node-1.example:80', 'node-1.example', 80],
])('%s listens on %s port %i', (s, host, port) => {
  expect(parseListenAddress(s)).toEqual({ host, port });
});

test.each([
  ['7472', 'has no :PORT'],
  ['', 'has no :PORT'],
  ['127.0.0.1:', 'has port "", which is not a number'],
  ['127.0.0.1:http', 'has port "http", which is not a number'],
  ['127.0.0.1:-1', 'has port "-1", which is not a number'],
  ['127.0.0.1:65536', 'has port 65536, above 65535'],
  ['127.0.0.1:123456', 'has port "123456", which is not a number'],
  ['::1:80', 'has an IPv6 address without brackets'],
  ['[::1:80', 'has no closing ]'],
  ['[::1]80', 'has no :PORT after the brackets'],
  ['[127.0.0.1]:80', 'has "127.0.0.1" in brackets, which is not an IPv6 address'],
  ['bad host:80', 'has "bad host", which is neither an IP address nor a host name'],
  ['-x:80', 'has "-x", which is neither an IP address nor a host name'],
])('%j is refused: %s', (s, why) => {
  expect(() => parseListenAddress(s)).toThrow(ConfigError);
  expect(() => parseListenAddress(s)).toThrow(`listen-address: ${JSON.stringify(s)} ${why} (want HOST:PORT, :PORT or [IPv6]:PORT)`);
});
