// The conversion report: entries collected per MetalLB object and field, the notes about the
// conversion as a whole, and how both are printed (one line per entry, like `headland validate`).
import { SERVICE_ANNOTATION } from '@headland/api';
import { FAILING_LEVELS, LEVEL, type ConvertedObject, type Level, type ReportEntry, type Source } from './types.js';

export class Report {
  readonly entries: ReportEntry[] = [];

  /** Entries about one object; `prefix` is put before each field ("spec", "data.config.peers[0]"). */
  about(source: Source, prefix = ''): ObjectReport {
    return new ObjectReport(this.entries, source, prefix);
  }

  /** An entry about the whole conversion. */
  general(level: Level, message: string): void {
    this.entries.push({ level, message });
  }

  get failed(): boolean {
    return this.entries.some((e) => FAILING_LEVELS.has(e.level));
  }
}

export class ObjectReport {
  readonly #entries: ReportEntry[];
  readonly source: Source;
  readonly prefix: string;

  constructor(entries: ReportEntry[], source: Source, prefix: string) {
    this.#entries = entries;
    this.source = source;
    this.prefix = prefix;
  }

  /** The same object, one level down: `at('spec')`, `at('[2]')`. */
  at(key: string): ObjectReport {
    return new ObjectReport(this.#entries, this.source, this.field(key));
  }

  /** The full path of `key` under this prefix. */
  field(key: string): string {
    if (key === '') return this.prefix;
    if (this.prefix === '') return key;
    return key.startsWith('[') ? this.prefix + key : `${this.prefix}.${key}`;
  }

  error(key: string, message: string): void {
    this.add(LEVEL.Error, key, message);
  }
  dropped(key: string, message: string): void {
    this.add(LEVEL.Dropped, key, message);
  }
  changed(key: string, message: string): void {
    this.add(LEVEL.Changed, key, message);
  }
  note(key: string, message: string): void {
    this.add(LEVEL.Note, key, message);
  }

  add(level: Level, key: string, message: string): void {
    const field = this.field(key);
    this.#entries.push({
      level,
      ...(this.source.where === '' ? {} : { where: this.source.where }),
      ...(this.source.object === '' ? {} : { object: this.source.object }),
      ...(field === '' ? {} : { field }),
      message,
    });
  }
}

/** `LEVEL: WHERE: OBJECT: FIELD: message`, leaving out the parts an entry does not have. */
export function formatEntry(entry: ReportEntry): string {
  const parts = [entry.where, entry.object, entry.field].filter((p): p is string => p !== undefined && p !== '');
  return [`${entry.level}:`, ...parts.map((p) => `${p}:`), entry.message].join(' ');
}

/** One line counting the objects written and the entries of each level. */
export function summarize(objects: number, entries: readonly ReportEntry[]): string {
  const counts = Object.values(LEVEL)
    .map((level) => [level, entries.filter((e) => e.level === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}${n > 1 && (level === LEVEL.Error || level === LEVEL.Note) ? 's' : ''}`);
  return `headland convert: ${objects} object${objects === 1 ? '' : 's'} written${counts.length > 0 ? `; ${counts.join(', ')}` : ''}`;
}

const METALLB_SPELLINGS = Object.values(SERVICE_ANNOTATION)
  .map((key) => key.slice(key.indexOf('/') + 1))
  .join(', ');

/**
 * What holds for the conversion as a whole: the namespace chosen, the Service annotations, and the
 * Headland defaults that differ from MetalLB's behaviour for the kinds written.
 */
export function generalNotes(objects: readonly ConvertedObject[], inputNamespaces: ReadonlySet<string>, namespace: string): ReportEntry[] {
  const notes: ReportEntry[] = [];
  const note = (message: string) => notes.push({ level: LEVEL.Note, message });
  const kinds = new Set(objects.map((o) => o.object.kind));

  for (const from of [...inputNamespaces].sort()) {
    if (from !== namespace) note(`objects from namespace ${from === '' ? '(none given)' : from} are written to ${namespace}: Headland reads its kinds only in the namespace its controller and speakers run in (--namespace, default headland-system)`);
  }
  note(
    `Services need no change: the annotations ${METALLB_SPELLINGS} are read under metallb.io/ and metallb.universe.tf/ as well as headland.io/, so pool names were kept as they are`,
  );
  if (kinds.has('BGPAdvertisement')) {
    note(
      'BGPAdvertisement: Headland defaults to weighting: LocalEndpoints (paths of externalTrafficPolicy: Local Services carry the link-bandwidth extended community in proportion to the node\'s ready endpoints; routers without weighted ECMP ignore it); set weighting: None for MetalLB\'s plain ECMP',
    );
  }
  if (kinds.has('BGPAdvertisement') || kinds.has('L2Advertisement')) {
    note(
      'advertisements default to dataPlaneCheck: KubeProxy: a node announces a Service only while kube-proxy\'s health check on that node says it serves it (MetalLB looks at EndpointSlices only); in a cluster without kube-proxy\'s health servers (some eBPF data planes) set dataPlaneCheck: None, or nothing is announced',
    );
  }
  if (kinds.has('BGPPeer')) {
    note(
      'BGPPeer: each session also carries the other address family over MP-BGP when the node has an address of it (MetalLB does so only with dualStackAddressFamily: true)',
    );
    note(
      'BGPPeer: without ebgpMultiHop Headland sends with the system\'s default TTL and does not require a directly connected peer (MetalLB\'s FRR modes send eBGP with TTL 1); set ttlSecurity: true for GTSM if the router does it too',
    );
  }
  if (kinds.has('L2Advertisement')) {
    note(
      'L2Advertisement: Headland elects the answering node with its own hash and membership, so an IP may move to another node once when Headland takes over from MetalLB; without interfaces it answers on every interface but loopback and virtual ones',
    );
  }
  return notes;
}
