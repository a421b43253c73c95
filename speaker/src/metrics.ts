// The speaker's Prometheus metrics on a registry the caller owns (never the global one). BGP
// figures are read from the library's session counters when scraped, so they are never stale.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface SessionFigures {
  readonly peer: string;
  readonly address: string;
  readonly up: boolean;
  readonly prefixesAnnounced: number;
  readonly updatesSent: number;
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
    this.configProblems = new Gauge({ name: 'headland_speaker_config_problems', help: 'Problems with the BGPPeers this node would run (e.g. two with one address)', registers });
  }
}
