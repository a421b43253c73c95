// Syntax of the names Kubernetes and Linux give things: DNS labels and subdomains (object and
// namespace names, label key prefixes), label names and values, and network interface names.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export const DNS_LABEL_MAX = 63;
export const DNS_SUBDOMAIN_MAX = 253;
export const LABEL_NAME_MAX = 63;
// IFNAMSIZ is 16 bytes with the terminating NUL.
export const INTERFACE_NAME_MAX = 15;

/** RFC 1123 label: what a namespace name must be. Undefined when fine, else what is wrong. */
export function dnsLabelProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty';
  if (text.length > DNS_LABEL_MAX) return `is ${text.length} characters, more than ${DNS_LABEL_MAX}`;
  if (!DNS_LABEL.test(text)) return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** RFC 1123 subdomain: dot-separated labels, at most 253 characters (object names, label prefixes). */
export function dnsSubdomainProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty';
  if (text.length > DNS_SUBDOMAIN_MAX) return `is ${text.length} characters, more than ${DNS_SUBDOMAIN_MAX}`;
  for (const label of text.split('.')) {
    if (label.length === 0 || !DNS_LABEL.test(label)) {
      return 'must be lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
    }
  }
  return undefined;
}

/** A label key: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    const problem = dnsSubdomainProblem(prefix);
    if (problem !== undefined) return `prefix ${JSON.stringify(prefix)} ${problem}`;
  }
  if (name.length === 0) return 'has an empty name';
  if (name.length > LABEL_NAME_MAX) return `name is ${name.length} characters, more than ${LABEL_NAME_MAX}`;
  if (!LABEL_NAME.test(name)) {
    return 'name must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** A label value: empty, or like a label name. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > LABEL_NAME_MAX) return `is ${value.length} characters, more than ${LABEL_NAME_MAX}`;
  if (!LABEL_NAME.test(value)) return 'must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** What the Linux kernel accepts as an interface name (dev_valid_name). */
export function interfaceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > INTERFACE_NAME_MAX) return `is ${name.length} characters, more than ${INTERFACE_NAME_MAX}`;
  if (name === '.' || name === '..') return `cannot be ${JSON.stringify(name)}`;
  if (name.includes('/')) return 'cannot contain "/"';
  if (/[\s:]/.test(name)) return 'cannot contain whitespace or ":"';
  return undefined;
}
