// Listen addresses for the metrics and health servers: "HOST:PORT", ":PORT" (all
// interfaces) or "[IPv6]:PORT", checked with an error that quotes what was given.

import { isIP } from 'node:net';
import { ConfigError } from './errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

const HOSTNAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;

export function parseListenAddress(s: string): ListenAddress {
  const bad = (why: string) => new ConfigError(`listen-address: ${JSON.stringify(s)} ${why} (want HOST:PORT, :PORT or [IPv6]:PORT)`);
  let host: string;
  let portText: string;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) throw bad('has no closing ]');
    host = s.slice(1, close);
    if (isIP(host) !== 6) throw bad(`has ${JSON.stringify(host)} in brackets, which is not an IPv6 address`);
    if (s[close + 1] !== ':') throw bad('has no :PORT after the brackets');
    portText = s.slice(close + 2);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon < 0) throw bad('has no :PORT');
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (host.includes(':')) throw bad('has an IPv6 address without brackets');
    // ":7472" listens on every interface, as Go's net.Listen does.
    if (host === '') host = '0.0.0.0';
    else if (isIP(host) === 0 && !HOSTNAME.test(host)) throw bad(`has ${JSON.stringify(host)}, which is neither an IP address nor a host name`);
  }
  if (!/^\d{1,5}$/.test(portText)) throw bad(`has port ${JSON.stringify(portText)}, which is not a number`);
  const port = Number(portText);
  if (port > 65535) throw bad(`has port ${port}, above 65535`);
  return { host, port };
}
