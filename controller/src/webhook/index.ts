// The validating admission webhook: the pure decision, the AdmissionReview codec, the TLS
// material and its Secret, the HTTPS server, and startWebhook that runs them on every replica.
export { decide, admissionResponse, OUTCOME, DELETE_PROTECTED, type Decision, type DecisionInput, type Outcome } from './decide.js';
export { parseReview, reviewResponse, OPERATION, REVIEW_API_VERSION, type AdmissionRequest, type AdmissionResponse, type Operation } from './review.js';
export { answerReview, type Answer } from './handler.js';
export { judgeTls, renewTls, isDue, tlsFromSecretData, secretDataOf, servingIssuer, servingNotAfter, pemCertificates, LIFETIME, SECRET_KEYS, type WebhookTls, type TlsPlan } from './certs.js';
export { CertKeeper, CA_BUNDLE, SECRET_WRITE, type CaBundleState, type Rest } from './cert-keeper.js';
export { WebhookServer, type WebhookServerOptions, type ReviewAnswerer } from './server.js';
export { startWebhook, type RunningWebhook, type WebhookOptions } from './run.js';
export { WEBHOOK_SERVICE, WEBHOOK_SECRET, WEBHOOK_CONFIGURATION, WEBHOOK_PATH, webhookHosts } from './names.js';
