// `headland convert` as one pure step: MetalLB objects (custom resources, the v0.12 ConfigMap) in,
// Headland objects and a report out; the objects are then judged by the same buildConfig that
// `headland validate` runs. One bad document never stops the others.
import { API_VERSION, GROUP, SEVERITY, buildConfig, formatIssue, snapshotFromObjects } from '@headland/api';
import type { SourceObject } from '../load.js';
import { describeObject, planAliases, type ConvertContext } from './common.js';
import { Fields, isRecord } from './fields.js';
import { LEGACY_KEYS, convertLegacy, legacyAliases, parseLegacyText, type LegacyConfig } from './legacy.js';
import { Report, generalNotes } from './report.js';
import { LEVEL, type ConvertOptions, type ConvertResult, type ConvertedObject, type KubeObject } from './types.js';
import { METALLB_KINDS, convertResource, isMetalLBKind } from './v1beta.js';

const METALLB_GROUP = 'metallb.io';
/** MetalLB kinds that hold state MetalLB writes, not configuration. */
const METALLB_STATUS_KINDS = new Set(['ServiceL2Status', 'ServiceBGPStatus', 'ConfigurationState']);
const SUPPORTED = `${METALLB_GROUP} ${Object.keys(METALLB_KINDS).join(', ')}, and MetalLB v0.12's ConfigMap`;

/** One input object, sorted by what it is. */
type Job =
  | { readonly type: 'resource'; readonly where: string; readonly object: Record<string, unknown>; readonly version: string; readonly kind: keyof typeof METALLB_KINDS }
  | { readonly type: 'legacy'; readonly config: LegacyConfig }
  | { readonly type: 'secret'; readonly where: string; readonly object: Record<string, unknown> };

export function convertObjects(inputs: readonly SourceObject[], options: ConvertOptions): ConvertResult {
  const report = new Report();
  const jobs = inputs.flatMap((input) => classify(input, report));

  // Aliases first: whether a reference is rewritten depends on every Community in the input.
  const aliases = planAliases(
    jobs.flatMap((job) => {
      if (job.type === 'legacy') return legacyAliases(job.config.value);
      if (job.type === 'resource' && job.kind === 'Community') return resourceAliases(job.object);
      return [];
    }),
  );
  const ctx: ConvertContext = { namespace: options.namespace, aliases, routerIDs: [], namespaces: new Set(), madeUpNames: new Set() };

  const objects: ConvertedObject[] = [];
  for (const job of jobs) {
    if (job.type === 'resource') {
      const converted = convertResource(job.object, job.version, job.kind, job.where, report, ctx);
      if (converted !== undefined) objects.push(converted);
    } else if (job.type === 'legacy') {
      objects.push(...convertLegacy(job.config, report, ctx));
    } else {
      const secret = copySecret(job.object, job.where, report, ctx);
      if (secret !== undefined) objects.push(secret);
    }
  }
  checkRouterIDs(ctx);
  validate(objects, report);
  report.entries.push(...generalNotes(objects, ctx.namespaces, options.namespace));
  return { objects, report: report.entries };
}

function classify({ where, value }: SourceObject, report: Report): Job[] {
  const fail = (message: string, object = ''): Job[] => {
    report.about({ where, object }).error('', message);
    return [];
  };
  if (!isRecord(value)) return fail('not a Kubernetes object (expected a mapping with apiVersion and kind)');
  const { apiVersion, kind } = value;
  if (apiVersion === undefined && kind === undefined && Object.keys(value).length > 0 && Object.keys(value).every((k) => (LEGACY_KEYS as readonly string[]).includes(k))) {
    // The configuration alone, as the ConfigMap's data.config holds it (configmaptocrs -only-data).
    return [{ type: 'legacy', config: { source: { where, object: 'MetalLB v0.12 configuration' }, prefix: '', value, namespace: '' } }];
  }
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return fail('apiVersion and kind must both be strings');
  const metadata = isRecord(value['metadata']) ? value['metadata'] : {};
  const object = describeObject(kind, typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined, typeof metadata['name'] === 'string' ? metadata['name'] : '(no name)');
  const [group, version = ''] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];

  if (group === '' && version === 'v1' && kind === 'ConfigMap') return legacyJob(value, where, object, report);
  if (group === '' && version === 'v1' && kind === 'Secret') return [{ type: 'secret', where, object: value }];
  if (group === METALLB_GROUP) {
    if (METALLB_STATUS_KINDS.has(kind)) {
      report.about({ where, object }).note('', `skipped: ${kind} is state MetalLB writes, not configuration`);
      return [];
    }
    if (kind === 'AddressPool') {
      return fail(`AddressPool (${apiVersion}) is MetalLB's deprecated pool kind, removed in v0.14, and is not converted: write it as an IPAddressPool with an L2Advertisement or BGPAdvertisement (or as an address-pools entry of the v0.12 configuration) and convert that`, object);
    }
    if (!isMetalLBKind(kind)) return fail(`${kind} is not a MetalLB configuration kind that headland convert reads (it reads ${SUPPORTED})`, object);
    if (!(METALLB_KINDS[kind] as readonly string[]).includes(version)) return fail(`${apiVersion} has no ${kind}; MetalLB serves it as ${METALLB_KINDS[kind].map((v) => `${METALLB_GROUP}/${v}`).join(' and ')}`, object);
    return [{ type: 'resource', where, object: value, version, kind }];
  }
  if (group === 'frrk8s.metallb.io') return fail(`${kind} is FRR-K8s configuration, which has no Headland equivalent (Headland runs its own BGP speaker)`, object);
  if (group === GROUP) return fail(`already a Headland object (${API_VERSION}); check it with headland validate`, object);
  return fail(`${kind} ${apiVersion} is not MetalLB configuration (headland convert reads ${SUPPORTED})`, object);
}

function legacyJob(value: Record<string, unknown>, where: string, object: string, report: Report): Job[] {
  const r = report.about({ where, object });
  const data = Fields.of(value['data'], r.at('data'));
  const text = data?.raw('config');
  if (typeof text !== 'string') {
    r.error('data.config', text === undefined ? 'missing: not MetalLB\'s v0.12 configuration (MetalLB reads the YAML under data.config)' : 'must be a string holding YAML');
    return [];
  }
  const parsed = parseLegacyText(text, r.at('data.config'));
  if (parsed === undefined) return [];
  const metadata = isRecord(value['metadata']) ? value['metadata'] : {};
  const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : '';
  // Recorded here, since the config's objects are made up and carry no namespace of their own.
  return [{ type: 'legacy', config: { source: { where, object }, prefix: 'data.config', value: parsed, namespace } }];
}

function resourceAliases(object: Record<string, unknown>): { name: string; value: string }[] {
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const list = Array.isArray(spec['communities']) ? spec['communities'] : [];
  return list.flatMap((c: unknown) => (isRecord(c) && typeof c['name'] === 'string' && typeof c['value'] === 'string' ? [{ name: c['name'], value: c['value'] }] : []));
}

/** A Secret given with the input (a BGPPeer's password), copied to where Headland's speakers read. */
function copySecret(object: Record<string, unknown>, where: string, report: Report, ctx: ConvertContext): ConvertedObject | undefined {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const name = typeof metadata['name'] === 'string' && metadata['name'] !== '' ? metadata['name'] : undefined;
  const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
  const source = { where, object: describeObject('Secret', namespace, name ?? '(no name)') };
  const r = report.about(source);
  if (name === undefined) {
    r.error('metadata.name', 'missing');
    return undefined;
  }
  ctx.namespaces.add(namespace ?? '');
  r.note('', `copied to ${ctx.namespace}/${name}, where Headland's speakers read BGP passwords (key "password")`);
  const copy: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ctx.namespace } };
  for (const key of ['type', 'data', 'stringData', 'immutable']) if (object[key] !== undefined) copy[key] = object[key];
  return { object: copy, source };
}

/**
 * Headland uses one BGP identifier per node (the routerID of the first peer by name that sets one),
 * where MetalLB's native mode set it per session: peers that disagree get one.
 */
function checkRouterIDs(ctx: ConvertContext): void {
  const distinct = new Set(ctx.routerIDs.map((p) => p.routerID ?? ''));
  if (distinct.size <= 1) return;
  for (const { report, field, routerID } of ctx.routerIDs) {
    if (routerID === undefined) continue;
    report.changed(
      field,
      `${routerID}: Headland uses one BGP identifier per node, the routerID of the first BGPPeer by name that selects the node and sets one, for all its sessions; the peers converted here do not all agree (MetalLB's native mode set it per session)`,
    );
  }
}

/** Runs buildConfig, as `headland validate` does, over what was written. */
function validate(objects: readonly ConvertedObject[], report: Report): void {
  const origins = new Map<string, ConvertedObject>();
  for (const converted of objects) {
    const { kind, metadata } = converted.object;
    const key = `${kind} ${metadata.namespace}/${metadata.name}`;
    if (!origins.has(key)) origins.set(key, converted);
  }
  // Entries name the MetalLB object (and the part of it) each Headland object came from.
  const about = (origin: ConvertedObject | undefined) => report.about(origin?.source ?? { where: '', object: '' }, origin?.field ?? '');
  const sorted = snapshotFromObjects(objects.map((o) => o.object));
  for (const p of sorted.problems) about(objects[p.index]).add(LEVEL.Invalid, '', p.message);
  for (const issue of buildConfig(sorted.snapshot).issues) {
    const { kind, namespace, name } = issue.ref;
    const missing = issue.severity === SEVERITY.MissingReference;
    about(origins.get(`${kind} ${namespace}/${name}`)).add(missing ? LEVEL.Missing : LEVEL.Invalid, '', `converted ${formatIssue(issue)}${missing ? ' (not in the given files)' : ''}`);
  }
}
