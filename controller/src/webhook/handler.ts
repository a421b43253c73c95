// One POST to /validate, pure: the body the API server sent and the objects the informers hold
// in, the HTTP answer out (an AdmissionReview, or a 400 for a body that is not one), with what
// was decided for the log and the metrics.
import { admissionResponse, decide, type Decision, type DecisionInput } from './decide.js';
import { parseReview, reviewResponse, type AdmissionRequest } from './review.js';

export type Answer =
  | { readonly status: 200; readonly body: Record<string, unknown>; readonly request: AdmissionRequest; readonly decision: Decision }
  | { readonly status: 400; readonly error: string };

export function answerReview(body: unknown, input: DecisionInput): Answer {
  const parsed = parseReview(body);
  if (!parsed.ok) return { status: 400, error: parsed.error };
  const decision = decide(parsed.request, input);
  return { status: 200, body: reviewResponse(admissionResponse(parsed.request.uid, decision)), request: parsed.request, decision };
}
