// The webhook admission steps of a write: mutating webhooks one after another, each seeing the last one's
// patch, then validating webhooks all at once; failurePolicy decides what a failed call means.

import { randomUUID } from 'node:crypto';
import { isObject, type Json, type JsonObject } from '../json.js';
import { applyJsonPatch, JsonPatchError, parseJsonPatch } from '../json-patch.js';
import { callWebhook, type ServiceResolver } from './call.js';
import { webhooksOf, type Webhook } from './config.js';
import { goJsonSyntaxError } from './go-json.js';
import { goQuote } from '../go-text.js';
import { isExemptConfigurationResource, shouldCallHook, type AdmissionRequest, type Invocation, type NamespaceLabels } from './match.js';
import { buildAdmissionReview, NO_KNOWN_REVIEW_VERSION, reviewVersionFor, verifyAdmissionResponse, type AdmissionResult } from './review.js';
import { dryRunUnsupported, internalError, webhookDenied, type AdmissionStatus } from './status.js';

export interface WebhookInput {
  /** The stored ValidatingWebhookConfiguration (or MutatingWebhookConfiguration) objects. */
  readonly configurations: readonly JsonObject[];
  readonly request: AdmissionRequest;
  /** Labels of a namespace by name; undefined when it does not exist (the request then fails with 404, as on a real server). */
  readonly namespaceLabels: NamespaceLabels;
  readonly resolveService: ServiceResolver;
  /** Where the real server would write klog warnings (failing open, skipped webhooks). */
  readonly log?: (line: JsonObject) => void;
  /** The AdmissionReview uid of each call; random by default. */
  readonly newUid?: () => string;
}

export type ValidatingOutcome = { allowed: true; warnings: string[] } | { allowed: false; status: AdmissionStatus; warnings: string[] };

/** `object` is the request's object after every patch (null when the request has none). */
export type MutatingOutcome = { allowed: true; object: JsonObject | null; warnings: string[] } | { allowed: false; status: AdmissionStatus; warnings: string[] };

/** ErrCallingWebhook (failurePolicy applies) or a final status (a denial, dry-run refusal, patch failure). */
type HookOutcome = { ok: true; result: AdmissionResult } | { ok: false; calling: string } | { ok: false; status: AdmissionStatus };

function callingError(webhook: Webhook, reason: string): string {
  return `failed calling webhook ${goQuote(webhook.name)}: ${reason}`;
}

async function callHook(invocation: Invocation, req: AdmissionRequest, input: WebhookInput): Promise<HookOutcome> {
  const hook = invocation.webhook;
  const mutating = hook.type === 'mutating';
  if (req.dryRun) {
    if (hook.sideEffects === undefined) return { ok: false, calling: callingError(hook, 'Webhook SideEffects is nil') };
    if (hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') return { ok: false, status: dryRunUnsupported(hook.name) };
  }
  const version = reviewVersionFor(hook);
  if (version === undefined) return { ok: false, calling: callingError(hook, `could not create admission objects: ${NO_KNOWN_REVIEW_VERSION}`) };
  const uid = (input.newUid ?? randomUUID)();
  const called = await callWebhook(hook, buildAdmissionReview(uid, version, invocation, req), input.resolveService);
  if (!called.ok) return { ok: false, calling: callingError(hook, called.error) };
  const verified = verifyAdmissionResponse(uid, version, mutating, called.review);
  if (!verified.ok) return { ok: false, calling: callingError(hook, `received invalid webhook response: ${verified.error}`) };
  return { ok: true, result: verified.result };
}

function pushWarnings(into: string[], add: readonly string[]): void {
  for (const w of add) if (!into.includes(w)) into.push(w);
}

function failingOpen(input: WebhookInput, hook: Webhook, error: string): void {
  input.log?.({ level: 'warning', msg: `Failed calling webhook, failing open ${hook.name}: ${error}`, webhook: hook.name, configuration: hook.configurationName });
}

type Selected = { ok: true; invocations: Invocation[] } | { ok: false; status: AdmissionStatus };

function select(hooks: readonly Webhook[], req: AdmissionRequest, input: WebhookInput): Selected {
  const invocations: Invocation[] = [];
  for (const hook of hooks) {
    const m = shouldCallHook(hook, req, input.namespaceLabels);
    if (m.call) invocations.push(m.invocation);
    else if (m.status !== undefined) return { ok: false, status: m.status };
    else if (m.skipped !== undefined) input.log?.({ level: 'warning', msg: `Skipping webhook ${hook.name}: ${m.skipped}`, webhook: hook.name, configuration: hook.configurationName });
  }
  return { ok: true, invocations };
}

/**
 * ValidatingAdmissionWebhook: every matching webhook is called in parallel; the first failure to arrive
 * (a denial, or a failed call under failurePolicy Fail) is the answer, as the real dispatcher's errs[0].
 */
export async function runValidatingWebhooks(input: WebhookInput): Promise<ValidatingOutcome> {
  const warnings: string[] = [];
  if (isExemptConfigurationResource(input.request)) return { allowed: true, warnings };
  const selected = select(webhooksOf(input.configurations, 'validating'), input.request, input);
  if (!selected.ok) return { allowed: false, status: selected.status, warnings };
  const errors: AdmissionStatus[] = [];
  await Promise.all(
    selected.invocations.map(async (invocation) => {
      const hook = invocation.webhook;
      const outcome = await callHook(invocation, input.request, input);
      if (outcome.ok) {
        pushWarnings(warnings, outcome.result.warnings);
        if (!outcome.result.allowed) errors.push(webhookDenied(hook.name, outcome.result.status));
      } else if ('calling' in outcome) {
        if (hook.failurePolicy === 'Ignore') failingOpen(input, hook, outcome.calling);
        else errors.push(internalError(outcome.calling));
      } else errors.push(outcome.status);
    }),
  );
  const first = errors[0];
  return first === undefined ? { allowed: true, warnings } : { allowed: false, status: first, warnings };
}

function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Decodes and applies a JSON Patch response; a patch that does not decode is a failed call, one that does not apply an internal error. */
function applyPatch(hook: Webhook, invocation: Invocation, req: AdmissionRequest, patch: Buffer, patchType: string): { object: JsonObject } | { calling: string } | { status: AdmissionStatus } | undefined {
  const syntax = goJsonSyntaxError(patch);
  if (syntax !== undefined) return { calling: callingError(hook, `received undecodable patch in webhook response: ${syntax}`) };
  const doc = JSON.parse(patch.toString('utf8')) as Json;
  if (!Array.isArray(doc)) {
    const what = doc === null ? 'null' : typeof doc === 'object' ? 'object' : typeof doc === 'boolean' ? 'bool' : typeof doc;
    return { calling: callingError(hook, `received undecodable patch in webhook response: json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`) };
  }
  if (doc.length === 0) return undefined;
  if (req.object === null) return { status: internalError(`admission webhook ${goQuote(hook.name)} attempted to modify the object, which is not supported for this operation`) };
  if (patchType !== 'JSONPatch') return { calling: callingError(hook, `unsupported patch type ${goQuote(patchType)}`) };
  const inHookVersion: JsonObject = { ...req.object, apiVersion: apiVersionOf(invocation.kind.group, invocation.kind.version) };
  let patched: Json;
  try {
    patched = applyJsonPatch(inHookVersion, parseJsonPatch(doc));
  } catch (e) {
    if (e instanceof JsonPatchError) return { status: internalError(e.message.replace(/^json-patch: /, '')) };
    throw e;
  }
  if (!isObject(patched)) return { status: internalError(`the patched object is not an object: ${JSON.stringify(patched).slice(0, 100)}`) };
  return { object: { ...patched, apiVersion: apiVersionOf(req.kind.group, req.kind.version) } };
}

/**
 * MutatingAdmissionWebhook: matching webhooks in order (configurations by name), each given the object as
 * the previous one's JSON Patch left it. reinvocationPolicy IfNeeded is not honoured: each webhook runs once.
 */
export async function runMutatingWebhooks(input: WebhookInput): Promise<MutatingOutcome> {
  const warnings: string[] = [];
  let req = input.request;
  if (isExemptConfigurationResource(req)) return { allowed: true, object: req.object, warnings };
  for (const hook of webhooksOf(input.configurations, 'mutating')) {
    const m = shouldCallHook(hook, req, input.namespaceLabels);
    if (!m.call) {
      if (m.status !== undefined) return { allowed: false, status: m.status, warnings };
      if (m.skipped !== undefined) input.log?.({ level: 'warning', msg: `Skipping webhook ${hook.name}: ${m.skipped}`, webhook: hook.name, configuration: hook.configurationName });
      continue;
    }
    const outcome = await callHook(m.invocation, req, input);
    let calling: string | undefined;
    if (!outcome.ok) {
      if (!('calling' in outcome)) return { allowed: false, status: outcome.status, warnings };
      calling = outcome.calling;
    } else {
      pushWarnings(warnings, outcome.result.warnings);
      if (!outcome.result.allowed) return { allowed: false, status: webhookDenied(hook.name, outcome.result.status), warnings };
      if (outcome.result.patch !== undefined) {
        const applied = applyPatch(hook, m.invocation, req, outcome.result.patch, outcome.result.patchType);
        if (applied !== undefined && 'status' in applied) return { allowed: false, status: applied.status, warnings };
        if (applied !== undefined && 'calling' in applied) calling = applied.calling;
        else if (applied !== undefined) req = { ...req, object: applied.object };
      }
    }
    if (calling !== undefined) {
      if (hook.failurePolicy !== 'Ignore') return { allowed: false, status: internalError(calling), warnings };
      failingOpen(input, hook, calling);
    }
  }
  return { allowed: true, object: req.object, warnings };
}
