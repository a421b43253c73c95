// The IPs a Service asks for: the loadBalancerIPs annotation (any spelling, one IP per family)
// or spec.loadBalancerIP; when both are set they must agree. Errors name the key as written.
import { SERVICE_ANNOTATION, formatIP, isValidIP, parseIP, readAnnotation, type Family, type IPAddress } from '@headland/api';
import { describe } from './json.js';

/** The requested IPs in `families` order, or what is wrong with them. */
export function readRequestedIPs(
  annotations: Readonly<Record<string, string>>,
  specIP: unknown,
  families: readonly Family[],
  policy: string,
): IPAddress[] | string {
  const annotation = readAnnotation(annotations, SERVICE_ANNOTATION.LoadBalancerIPs);
  const fromAnnotation = annotation === undefined || annotation.value.trim() === '' ? undefined : parseList(annotation.key, annotation.value);
  if (typeof fromAnnotation === 'string') return fromAnnotation;

  let fromSpec: IPAddress | undefined;
  if (specIP !== undefined && specIP !== null && specIP !== '') {
    if (typeof specIP !== 'string' || !isValidIP(specIP)) return `spec.loadBalancerIP ${describe(specIP)} is not an IP address`;
    fromSpec = parseIP(specIP);
  }

  let ips: IPAddress[];
  let source: string;
  if (fromAnnotation !== undefined && annotation !== undefined) {
    if (fromSpec !== undefined && !fromAnnotation.some((ip) => ip.value === fromSpec.value && ip.family === fromSpec.family)) {
      return `spec.loadBalancerIP ${formatIP(fromSpec)} disagrees with annotation ${annotation.key} (${annotation.value.trim()}); set one of them`;
    }
    ips = fromAnnotation;
    source = `annotation ${annotation.key}`;
  } else {
    ips = fromSpec === undefined ? [] : [fromSpec];
    source = 'spec.loadBalancerIP';
  }

  for (const [i, ip] of ips.entries()) {
    const twin = ips.findIndex((other) => other.family === ip.family);
    if (twin !== i) return `${source} has two IPv${ip.family} addresses (${formatIP(ips[twin] ?? ip)} and ${formatIP(ip)}); at most one per family`;
    if (!families.includes(ip.family)) {
      return `${source} asks for ${formatIP(ip)}, an IPv${ip.family} address, but the service has only ${families.map((f) => `IPv${f}`).join(' and ')} (ipFamilies / ipFamilyPolicy)`;
    }
  }
  if (policy === 'RequireDualStack' && ips.length > 0 && ips.length < families.length) {
    return `${source} names only ${ips.map(formatIP).join(', ')}, but ipFamilyPolicy RequireDualStack needs one address of each family`;
  }
  return ips.sort((a, b) => families.indexOf(a.family) - families.indexOf(b.family));
}

function parseList(key: string, value: string): IPAddress[] | string {
  const ips: IPAddress[] = [];
  for (const item of value.split(',').map((s) => s.trim())) {
    if (!isValidIP(item)) return `annotation ${key}: ${describe(item)} is not an IP address (expected comma-separated IPs, one per family)`;
    ips.push(parseIP(item));
  }
  return ips;
}
