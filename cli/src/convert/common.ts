// Conversions both input families share: pool addresses read as MetalLB reads them, BGP timers,
// community aliases Headland cannot take, and the metadata of the objects written.
import { API_VERSION, DurationError, WELL_KNOWN_COMMUNITIES, formatCommunity, formatIP, isCommunityLiteral, parseCommunity, parseDuration, parseIP, prefixOf } from '@headland/api';
import type { ObjectReport } from './report.js';
import type { KubeObject, ObjectMetadata } from './types.js';

const NANOSECONDS_PER_SECOND = 1_000_000_000n;

/**
 * Pool entries as MetalLB reads them: a CIDR with host bits set means its network (Go's
 * net.ParseCIDR), where Headland would refuse it; spaces beside a range's dash are dropped.
 * Entries that are not addresses at all are kept for validation to name.
 */
export function poolAddresses(entries: readonly string[], report: ObjectReport, key: string): string[] {
  return entries.map((entry, i) => {
    const text = entry.trim();
    const dash = text.indexOf('-');
    if (dash > 0 && !text.includes('/')) return `${text.slice(0, dash).trim()}-${text.slice(dash + 1).trim()}`;
    const [address = '', length = '', ...rest] = text.split('/');
    if (rest.length > 0 || !/^\d+$/.test(length)) return text;
    try {
      const ip = parseIP(address);
      const network = prefixOf(ip, Number(length));
      if (network.first !== ip.value) {
        const written = `${formatIP({ family: network.family, value: network.first })}/${network.prefixLength}`;
        report.changed(`${key}[${i}]`, `${text} has host bits set; MetalLB reads it as ${written}, which is written (Headland refuses host bits)`);
        return written;
      }
    } catch {
      // Not an address: validation says what is wrong with it.
    }
    return text;
  });
}

export interface TimerInput {
  readonly holdTime: string | undefined;
  readonly keepaliveTime: string | undefined;
}

/**
 * BGP hold and keepalive times as Headland takes them: whole seconds (MetalLB truncates), and a 0s
 * keepalive beside a non-zero hold time left out: MetalLB wrote no timers then (its generator
 * writes `keepaliveTime: 0s` for "unset"), while Headland would refuse it.
 */
export function bgpTimers(input: TimerInput, report: ObjectReport, keys: { holdTime: string; keepaliveTime: string }): { holdTime?: string; keepaliveTime?: string } {
  const hold = wholeSeconds(input.holdTime, report, keys.holdTime);
  const keepalive = wholeSeconds(input.keepaliveTime, report, keys.keepaliveTime);
  const out: { holdTime?: string; keepaliveTime?: string } = {};
  if (hold !== undefined) {
    out.holdTime = hold.text;
    if (hold.seconds === 0n) {
      report.changed(
        keys.holdTime,
        `${hold.text}: Headland reads a zero hold time as no keepalives and no hold timer (RFC 4271), as MetalLB's native mode did; MetalLB's FRR modes wrote no timers then, leaving FRR's defaults. Remove it for Headland's defaults (90s hold, 30s keepalive)`,
      );
    }
  }
  if (keepalive !== undefined) {
    if (keepalive.seconds === 0n && hold?.seconds !== 0n) {
      report.changed(keys.keepaliveTime, `${keepalive.text} left out: MetalLB treated a zero keepalive as unset (no timers written); Headland derives the keepalive as a third of the hold time`);
    } else {
      out.keepaliveTime = keepalive.text;
    }
  }
  return out;
}

function wholeSeconds(text: string | undefined, report: ObjectReport, key: string): { text: string; seconds: bigint } | undefined {
  if (text === undefined) return undefined;
  let ns: bigint;
  try {
    ns = parseDuration(text);
  } catch (err: unknown) {
    report.error(key, err instanceof DurationError ? err.message : String(err));
    return undefined;
  }
  const seconds = ns / NANOSECONDS_PER_SECOND;
  if (ns % NANOSECONDS_PER_SECOND === 0n) return { text, seconds };
  report.changed(key, `${text} is not whole seconds; MetalLB truncates BGP timers to seconds, so ${seconds}s is written`);
  return { text: `${seconds}s`, seconds };
}

/**
 * MetalLB community aliases whose names Headland reads as values (a well-known name such as
 * "no-export", or a name with ":"): such an alias cannot be a Headland alias. `rewrites` holds
 * the value to write for each reference whose literal reading would differ from the alias.
 */
export interface AliasPlan {
  /** Alias names to leave out of Community objects. */
  readonly dropped: ReadonlySet<string>;
  /** Alias name to the value written in its place in advertisements. */
  readonly rewrites: ReadonlyMap<string, string>;
}

export function planAliases(aliases: readonly { name: string; value: string }[]): AliasPlan {
  const dropped = new Set<string>();
  const rewrites = new Map<string, string>();
  for (const { name, value } of aliases) {
    if (!isCommunityLiteral(name)) continue;
    dropped.add(name);
    if (literalValue(name) !== literalValue(value)) rewrites.set(name, value);
  }
  return { dropped, rewrites };
}

/** The community a text stands for when read as a value, in one spelling; undefined when it is none. */
function literalValue(text: string): string | undefined {
  try {
    return formatCommunity(parseCommunity(text));
  } catch {
    return undefined;
  }
}

/** An advertisement's communities with aliases Headland cannot take replaced by their values. */
export function rewriteCommunities(communities: readonly string[], plan: AliasPlan, report: ObjectReport, key: string): string[] {
  return communities.map((text, i) => {
    const value = plan.rewrites.get(text);
    if (value === undefined) return text;
    report.changed(`${key}[${i}]`, `alias ${JSON.stringify(text)} is written as its value ${value}: Headland reads ${JSON.stringify(text)} as a community value, not as an alias`);
    return value;
  });
}

/** Why an alias name was left out of a Community object. */
export function droppedAliasMessage(name: string, value: string): string {
  const known = WELL_KNOWN_COMMUNITIES.get(name);
  const same = literalValue(name) === literalValue(value);
  return `alias ${JSON.stringify(name)} left out: Headland reads ${JSON.stringify(name)} as ${known === undefined ? 'a community value' : `the well-known community ${formatCommunity(known)}`}${same ? ', the same value, so references keep working unchanged' : `; references to it are written as ${value}`}`;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Metadata for an object written: the name, the namespace chosen, and the labels (pool selectors
 * match them). Annotations are not carried: they steer tools (Helm, kubectl), not MetalLB.
 */
export function headlandMetadata(name: string, namespace: string, labels: Record<string, string> | undefined, annotations: Record<string, string> | undefined, report: ObjectReport): ObjectMetadata {
  const dropped = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED);
  if (dropped.length > 0) report.note('metadata.annotations', `not carried over: ${dropped.join(', ')}`);
  return { name, namespace, ...(labels === undefined || Object.keys(labels).length === 0 ? {} : { labels }) };
}

export function headlandObject(kind: string, metadata: ObjectMetadata, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: API_VERSION, kind, metadata, spec };
}

/** A spec with the undefined fields left out, so the YAML written holds only what was set. */
export function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** What every converter of one run shares. */
export interface ConvertContext {
  /** Namespace of every object written. */
  readonly namespace: string;
  readonly aliases: AliasPlan;
  /** Each BGPPeer written and the routerID it sets, for the check across peers. */
  readonly routerIDs: { readonly report: ObjectReport; readonly field: string; readonly routerID: string | undefined }[];
  /** Input namespaces seen, for the note on where objects went. */
  readonly namespaces: Set<string>;
  /** Names given to objects made up from the v0.12 config ("BGPPeer/peer-10.0.0.1"), kept unique. */
  readonly madeUpNames: Set<string>;
}

/** "KIND NAMESPACE/NAME", or "KIND NAME" when the input gave no namespace. */
export function describeObject(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}
