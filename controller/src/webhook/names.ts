// The names the webhook and manifests/webhook.yaml share: the Service the API server dials, the
// Secret holding the TLS material, and the ValidatingWebhookConfiguration whose caBundle we keep.

export const WEBHOOK_SERVICE = 'headland-webhook';
export const WEBHOOK_SECRET = 'headland-webhook-cert';
export const WEBHOOK_CONFIGURATION = 'headland-validating-webhook';
export const WEBHOOK_PATH = '/validate';

/**
 * The names the serving certificate carries. The API server dials `NAME.NAMESPACE.svc` for a
 * webhook's `service` reference (that is the one it checks); the cluster-domain form is for
 * anyone calling it by its full name.
 */
export function webhookHosts(namespace: string, service = WEBHOOK_SERVICE): string[] {
  return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}
