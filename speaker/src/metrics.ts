// The speaker's Prometheus metrics on a registry the caller owns (never the global one). BGP
// figures are read from the library's session counters when scraped, so they are never stale.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface SessionFigures {
  readonly peer: string;
  readonly address: string;
  readonly up: boolean;
  readonly prefixesAnnounced: number;
  readonly updatesSent: number;
  /** The peer's BFD session, when it has one. */
  readonly bfd?: { readonly up: boolean; readonly packetsIn: number; readonly packetsOut: number; readonly stateChanges: number; readonly dropped: Readonly<Record<string, number>>; readonly sessionDowns: number };
}

/** L2 mode's figures, read at scrape time (the responder counts frames as they come). */
export interface L2MetricFigures {
  readonly ownedIPs: number;
  readonly unownedIPs: number;
  readonly ownershipChanges: number;
  readonly aliveMembers: number;
  readonly responder: { readonly requestsReceived: number; readonly repliesSent: number; readonly gratuitousSent: number; readonly dropped: Readonly<Record<string, number>> };
}

/** kube-proxy's answers as the data-plane prober holds them, read at scrape time. */
export interface DataPlaneFigures {
  /** Per check ("service" or "proxy") and status ("ok", "failing", "unreachable"), how many. */
  readonly checks: readonly { readonly check: 'service' | 'proxy'; readonly status: string; readonly count: number }[];
  readonly requests: number;
}

export class SpeakerMetrics {
  readonly registry: Registry;
  readonly sessionUp: Gauge<'peer' | 'address'>;
  readonly prefixesAnnounced: Gauge<'peer' | 'address'>;
  readonly updatesSent: Gauge<'peer' | 'address'>;
  readonly policyEvaluation: Histogram;
  readonly servicesEvaluated: Counter;
  readonly announcedPrefixes: Gauge;
  readonly statusWrites: Counter<'outcome'>;
  readonly configProblems: Gauge;
  /** Set by the BGP mode: the figures of every session, read at scrape time. */
  sessions: () => readonly SessionFigures[] = () => [];
  /** Set by L2 mode; undefined while it is not running. */
  l2: () => L2MetricFigures | undefined = () => undefined;
  /** Set by the BGP mode: BFD datagrams dropped before any peer's session (malformed, or for no session), by reason. */
  bfdUnmatched: () => Readonly<Record<string, number>> | undefined = () => undefined;
  /** Set by the data-plane prober. */
  dataPlane: () => DataPlaneFigures | undefined = () => undefined;
  /** Set by main.ts to what /readyz answers: informers synced and the first flush done. */
  ready: () => boolean = () => false;
  /** Announcements kube-proxy's checks held back, by reason (DataPlaneNotServing, DataPlaneNotChecked). */
  readonly dataPlaneChanges: Counter<'check' | 'status'>;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    // Reset then set on each scrape: sessions that were removed disappear from the output.
    const perSession = (pick: (s: SessionFigures) => number) =>
      function (this: Gauge<'peer' | 'address'>): void {
        this.reset();
        for (const s of self.sessions()) this.set({ peer: s.peer, address: s.address }, pick(s));
      };
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.sessionUp = new Gauge({ name: 'headland_speaker_bgp_session_up', help: '1 while the BGP session with the peer is Established', labelNames: ['peer', 'address'], registers, collect: perSession((s) => (s.up ? 1 : 0)) });
    this.prefixesAnnounced = new Gauge({ name: 'headland_speaker_bgp_prefixes_announced', help: 'Prefixes the peer currently has from this node', labelNames: ['peer', 'address'], registers, collect: perSession((s) => s.prefixesAnnounced) });
    this.updatesSent = new Gauge({ name: 'headland_speaker_bgp_updates_sent', help: 'UPDATE messages sent to the peer on its current session (counts from 0 per session)', labelNames: ['peer', 'address'], registers, collect: perSession((s) => s.updatesSent) });
    this.policyEvaluation = new Histogram({
      name: 'headland_speaker_policy_evaluation_seconds',
      help: 'Time to re-evaluate the announcement policy after a burst of changes',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.servicesEvaluated = new Counter({ name: 'headland_speaker_policy_services_evaluated_total', help: 'Services the policy re-evaluated', registers });
    this.announcedPrefixes = new Gauge({ name: 'headland_speaker_announced_prefixes', help: 'Prefixes this node announces (to at least one peer)', registers });
    this.statusWrites = new Counter({ name: 'headland_speaker_status_writes_total', help: 'ServiceBGPStatus writes by outcome', labelNames: ['outcome'], registers });
    // Counters of the responder and membership are cumulative in their owners; exposed as
    // gauges set at scrape time, named _total so they read like counters in PromQL.
    const l2 = (name: string, help: string, pick: (f: L2MetricFigures) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect(this: Gauge) {
          const f = self.l2();
          if (f === undefined) this.reset();
          else this.set(pick(f));
        },
      });
    l2('headland_speaker_l2_requests_received_total', 'ARP requests and Neighbor Solicitations received for any IP', (f) => f.responder.requestsReceived);
    l2('headland_speaker_l2_replies_sent_total', 'ARP replies and Neighbor Advertisements sent for owned IPs', (f) => f.responder.repliesSent);
    l2('headland_speaker_l2_gratuitous_sent_total', 'Gratuitous ARP and unsolicited Neighbor Advertisements sent on takeover', (f) => f.responder.gratuitousSent);
    l2('headland_speaker_l2_ownership_changes_total', 'IPs this node started or stopped answering for', (f) => f.ownershipChanges);
    l2('headland_speaker_l2_owned_ips', 'IPs this node answers ARP/NDP for now', (f) => f.ownedIPs);
    l2('headland_speaker_l2_unowned_ips', 'IPs an L2Advertisement selects, of Services with endpoints, that no node may answer for (every speaker sees the same)', (f) => f.unownedIPs);
    l2('headland_speaker_l2_alive_members', 'Speakers membership sees alive, this one included', (f) => f.aliveMembers);
    new Gauge({
      name: 'headland_speaker_l2_frames_dropped_total',
      help: 'ARP/NDP frames dropped by the responder, by reason',
      labelNames: ['reason'],
      registers,
      collect(this: Gauge<'reason'>) {
        this.reset();
        for (const [reason, n] of Object.entries(self.l2()?.responder.dropped ?? {})) this.set({ reason }, n);
      },
    });
    new Gauge({
      name: 'headland_speaker_dataplane_checks',
      help: "kube-proxy health checks this node's speaker follows, by check (service: a Local Service's healthCheckNodePort; proxy: /healthz) and last answer (ok, failing, unreachable)",
      labelNames: ['check', 'status'],
      registers,
      collect(this: Gauge<'check' | 'status'>) {
        this.reset();
        for (const c of self.dataPlane()?.checks ?? []) this.set({ check: c.check, status: c.status }, c.count);
      },
    });
    new Gauge({
      name: 'headland_speaker_dataplane_requests_total',
      help: "HTTP requests made to kube-proxy's health servers",
      registers,
      collect(this: Gauge) {
        this.set(self.dataPlane()?.requests ?? 0);
      },
    });
    this.dataPlaneChanges = new Counter({ name: 'headland_speaker_dataplane_check_changes_total', help: "Changes of kube-proxy's answer for a check, by check and the new status", labelNames: ['check', 'status'], registers });
    new Gauge({
      name: 'headland_speaker_ready',
      help: '1 once the informers have synced and the first policy flush is done (what /readyz answers)',
      registers,
      collect(this: Gauge) {
        this.set(self.ready() ? 1 : 0);
      },
    });
    // BFD per peer, read from the library at scrape time (like the sessions above).
    const perBfd = (pick: (b: NonNullable<SessionFigures['bfd']>) => number) =>
      function (this: Gauge<'peer' | 'address'>): void {
        this.reset();
        for (const s of self.sessions()) if (s.bfd !== undefined) this.set({ peer: s.peer, address: s.address }, pick(s.bfd));
      };
    new Gauge({ name: 'headland_speaker_bfd_session_up', help: "1 while the peer's BFD session is Up", labelNames: ['peer', 'address'], registers, collect: perBfd((b) => (b.up ? 1 : 0)) });
    new Gauge({ name: 'headland_speaker_bfd_state_changes_total', help: "State changes of the peer's BFD session", labelNames: ['peer', 'address'], registers, collect: perBfd((b) => b.stateChanges) });
    new Gauge({ name: 'headland_speaker_bfd_session_downs_total', help: 'BGP sessions the peer lost because BFD went Down', labelNames: ['peer', 'address'], registers, collect: perBfd((b) => b.sessionDowns) });
    new Gauge({
      name: 'headland_speaker_bfd_packets_total',
      help: 'BFD control packets, by direction (in, out)',
      labelNames: ['peer', 'address', 'direction'],
      registers,
      collect(this: Gauge<'peer' | 'address' | 'direction'>) {
        this.reset();
        for (const s of self.sessions()) {
          if (s.bfd === undefined) continue;
          this.set({ peer: s.peer, address: s.address, direction: 'in' }, s.bfd.packetsIn);
          this.set({ peer: s.peer, address: s.address, direction: 'out' }, s.bfd.packetsOut);
        }
      },
    });
    new Gauge({
      name: 'headland_speaker_bfd_packets_dropped_total',
      help: 'BFD packets dropped before reaching a session state, by reason (ttl, wrong-port, your-discriminator, authentication, ...)',
      labelNames: ['peer', 'address', 'reason'],
      registers,
      collect(this: Gauge<'peer' | 'address' | 'reason'>) {
        this.reset();
        for (const s of self.sessions()) for (const [reason, n] of Object.entries(s.bfd?.dropped ?? {})) this.set({ peer: s.peer, address: s.address, reason }, n);
      },
    });
    new Gauge({
      name: 'headland_speaker_bfd_datagrams_dropped_total',
      help: 'BFD datagrams dropped before reaching any session: not a valid Control packet (by codec reason) or for no session of ours',
      labelNames: ['reason'],
      registers,
      collect(this: Gauge<'reason'>) {
        this.reset();
        for (const [reason, n] of Object.entries(self.bfdUnmatched() ?? {})) this.set({ reason }, n);
      },
    });
    this.configProblems = new Gauge({ name: 'headland_speaker_config_problems', help: 'Problems with the BGPPeers this node would run (e.g. two with one address)', registers });
  }
}
