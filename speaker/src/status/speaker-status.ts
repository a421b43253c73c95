// This node's SpeakerStatus: what the speaker sees of itself, as one object named after the node.
// Pure: the builder takes plain facts (sessions, announced Services, membership, kube-proxy's
// answers, problems) so run.ts only gathers them.
import { API_VERSION, STATUS_LABELS, type SpeakerStatusStatus } from '@headland/api';

export const SPEAKER_STATUS_KIND = 'SpeakerStatus';
export const SPEAKER_STATUS_PLURAL = 'speakerstatuses';
/** notServing lists at most this many Services; the count of checked ones is always whole. */
export const MAX_NOT_SERVING = 100;

export interface SessionFact {
  readonly peer: string;
  readonly address: string;
  readonly state: string;
  /** Epoch ms of the last Established; undefined while it is not. */
  readonly establishedAt: number | undefined;
  readonly prefixesSent: number;
  readonly prefixesReceived: number;
  readonly lastError: string | undefined;
  readonly bfd?: { readonly state: string; readonly diagnostic: string; readonly downs: number } | undefined;
}

export interface CheckFact {
  readonly status: string;
  readonly reason: string;
  readonly detail: string;
}

export interface SpeakerFacts {
  readonly node: string;
  readonly version: string;
  readonly sessions: readonly SessionFact[];
  readonly announcedPrefixes: number;
  readonly announcedServices: Iterable<string>;
  /** Undefined: L2 mode does not run on this node. */
  readonly l2: { readonly ownedIPs: number; readonly answeredServices: Iterable<string>; readonly members: readonly { readonly name: string; readonly state: string }[] } | undefined;
  readonly proxyCheck: CheckFact | undefined;
  /** Every checked Local Service with its answer (undefined: not asked yet). */
  readonly serviceChecks: ReadonlyMap<string, CheckFact | undefined>;
  readonly problems: readonly string[];
}

export function speakerStatusContent(f: SpeakerFacts): SpeakerStatusStatus {
  const sessions = [...f.sessions].sort((a, b) => (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0)).map((s) => ({
    peer: s.peer,
    address: s.address,
    state: s.state,
    ...(s.establishedAt === undefined ? {} : { establishedSince: new Date(s.establishedAt).toISOString() }),
    prefixesSent: s.prefixesSent,
    prefixesReceived: s.prefixesReceived,
    ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
    ...(s.bfd === undefined ? {} : { bfd: { state: s.bfd.state, diagnostic: s.bfd.diagnostic, downs: s.bfd.downs } }),
  }));
  const failing = [...f.serviceChecks].filter(([, c]) => c?.status !== 'ok');
  const notServing = failing
    .map(([service, c]) => ({ service, status: c?.status ?? 'unchecked', reason: c?.reason ?? 'NotAskedYet', detail: c?.detail ?? 'kube-proxy has not been asked yet' }))
    .sort((a, b) => (a.service < b.service ? -1 : 1))
    .slice(0, MAX_NOT_SERVING);
  return {
    node: f.node,
    version: f.version,
    sessionsUp: f.sessions.filter((s) => s.state === 'Established').length,
    sessionsTotal: f.sessions.length,
    sessions,
    announcedPrefixes: f.announcedPrefixes,
    announcedServices: [...f.announcedServices].sort(),
    ...(f.l2 === undefined ? {} : { l2: { ownedIPs: f.l2.ownedIPs, answeredServices: [...f.l2.answeredServices].sort(), members: [...f.l2.members].sort((a, b) => (a.name < b.name ? -1 : 1)) } }),
    dataPlane: {
      ...(f.proxyCheck === undefined ? {} : { proxy: { status: f.proxyCheck.status, reason: f.proxyCheck.reason, detail: f.proxyCheck.detail } }),
      checked: f.serviceChecks.size,
      notServingCount: failing.length,
      notServing,
    },
    problems: [...f.problems],
  };
}

export function speakerStatusObject(namespace: string, status: SpeakerStatusStatus): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: Record<string, never>; status: SpeakerStatusStatus } {
  return {
    apiVersion: API_VERSION,
    kind: SPEAKER_STATUS_KIND,
    metadata: { name: status.node, namespace, labels: { [STATUS_LABELS.node]: status.node } },
    spec: {},
    status,
  };
}
