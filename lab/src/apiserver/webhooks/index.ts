// Admission webhooks for the request path: what the server calls on writes, the defaults and warnings
// for storing webhook configurations, and the types the caller fills in.

export { runMutatingWebhooks, runValidatingWebhooks, type MutatingOutcome, type ValidatingOutcome, type WebhookInput } from './admit.js';
export type { Address, ServiceRef, ServiceResolver } from './call.js';
export { defaultWebhookConfiguration, unsupportedFeatureWarnings, type WebhookType } from './config.js';
export type { Labels } from './labels.js';
export type { AdmissionRequest, GroupVersionKind, GroupVersionResource, NamespaceLabels, Operation } from './match.js';
export { reviewOptions } from './review.js';
export type { AdmissionStatus } from './status.js';
