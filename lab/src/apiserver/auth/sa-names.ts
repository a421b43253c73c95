// The user names and groups a ServiceAccount authenticates as, and the reverse split that
// impersonation uses to tell a ServiceAccount user from any other user name.

export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label of at most 63 characters: what a namespace name must be. */
export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && DNS_LABEL.test(text);
}

/** RFC 1123 subdomain of at most 253 characters: what a ServiceAccount name must be. */
export function isDnsSubdomain(text: string): boolean {
  return text.length > 0 && text.length <= 253 && text.split('.').every((label) => DNS_LABEL.test(label));
}

/** `system:serviceaccount:NS:NAME`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** The groups every ServiceAccount of a namespace is in (without system:authenticated). */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${namespace}`];
}

/**
 * The namespace and name in a ServiceAccount user name, or undefined when the name is not one:
 * the prefix, exactly two `:`-separated parts, a valid namespace and a valid ServiceAccount name.
 */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (!isDnsLabel(namespace) || !isDnsSubdomain(name)) return undefined;
  return { namespace, name };
}
