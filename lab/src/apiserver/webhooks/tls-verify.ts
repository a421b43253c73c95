// Server certificate checks in the order Go's x509 Verify makes them (leaf validity period, then host
// name, then the chain to the caBundle), each failure worded as crypto/tls reports it to kube-apiserver.

import { isIP } from 'node:net';
import type { PeerCertificate } from 'node:tls';

const PREFIX = 'tls: failed to verify certificate: ';

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);

/** Go's time.RFC3339 in UTC. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** net.IP.String(): IPv6 compressed (the URL parser canonicalises it), IPv4 as is. */
function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

interface Sans {
  present: boolean;
  dns: string[];
  ips: string[];
}

function sansOf(cert: PeerCertificate): Sans {
  const raw = cert.subjectaltname;
  if (raw === undefined || raw === '') return { present: false, dns: [], ips: [] };
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of raw.split(', ')) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ips.push(canonicalIp(part.slice(11)));
  }
  return { present: true, dns, ips };
}

/** matchHostnames: case-insensitive, a wildcard only as the whole leftmost label. */
function matchHostname(pattern: string, host: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  const p = pattern.replace(/\.$/, '').toLowerCase();
  if (p === '' || h === '') return false;
  const pl = p.split('.');
  const hl = h.split('.');
  if (pl.length !== hl.length) return false;
  return pl.every((label, i) => (i === 0 && label === '*' && (hl[i] ?? '') !== '') || label === hl[i]);
}

/** x509 HostnameError, or undefined when the certificate is valid for `host`. */
export function hostnameError(cert: PeerCertificate, host: string): string | undefined {
  const sans = sansOf(cert);
  const cn = typeof cert.subject?.CN === 'string' ? cert.subject.CN : '';
  if (isIP(host) !== 0) {
    const want = canonicalIp(host);
    if (sans.ips.includes(want)) return undefined;
    if (!sans.present && matchHostname(cn, host)) return 'x509: certificate relies on legacy Common Name field, use SANs instead';
    if (sans.ips.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    return `x509: certificate is valid for ${sans.ips.join(', ')}, not ${host}`;
  }
  if (sans.dns.some((d) => matchHostname(d, host))) return undefined;
  if (!sans.present && matchHostname(cn, host)) return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  if (sans.dns.length === 0) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${sans.dns.join(', ')}, not ${host}`;
}

function validityError(cert: PeerCertificate, now: Date): string | undefined {
  const notBefore = new Date(cert.valid_from);
  const notAfter = new Date(cert.valid_to);
  if (now < notBefore) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(notBefore)}`;
  if (now > notAfter) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(notAfter)}`;
  return undefined;
}

function chainError(authorizationError: Error & { code?: string }): string {
  const code = authorizationError.code ?? '';
  if (UNKNOWN_AUTHORITY.has(code)) return 'x509: certificate signed by unknown authority';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'x509: certificate has expired or is not yet valid';
  return `x509: ${authorizationError.message}`;
}

/**
 * What Go's TLS client says about the server's certificate, or undefined when it is accepted.
 * `authorizationError` is the chain verdict Node reached against the same CA bundle.
 */
export function verifyServerCertificate(cert: PeerCertificate, host: string, authorizationError: (Error & { code?: string }) | undefined, now: Date = new Date()): string | undefined {
  const reason = validityError(cert, now) ?? hostnameError(cert, host) ?? (authorizationError !== undefined ? chainError(authorizationError) : undefined);
  return reason === undefined ? undefined : PREFIX + reason;
}
