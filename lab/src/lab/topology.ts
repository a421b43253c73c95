// The validated topology model the parser produces and the builder consumes.
// Plain data: every address is already checked to lie inside the lab's ranges.

export const KINDS = ['linux', 'bridge', 'k8s-node', 'frr', 'bird', 'gobgp', 'exabgp'] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds that run a routing daemon from a startup-config file. */
export const ROUTER_KINDS = ['frr', 'bird', 'gobgp', 'exabgp'] as const satisfies readonly Kind[];
export type RouterKind = (typeof ROUTER_KINDS)[number];

export interface Route {
  /** "default" or a prefix in CIDR form. */
  readonly dst: string;
  readonly family: 4 | 6;
  readonly via?: string;
  readonly dev?: string;
}

export interface Pod {
  readonly name: string;
  /** Host addresses (no prefix length); the pod subnet gives the length. */
  readonly addresses: readonly string[];
}

export interface LabNode {
  readonly name: string;
  readonly kind: Kind;
  /** Absolute path of the startup config (router kinds). */
  readonly startupConfig?: string;
  /** Interface name -> addresses in CIDR form, in file order. */
  readonly interfaces: ReadonlyMap<string, readonly string[]>;
  readonly routes: readonly Route[];
  readonly exec: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly sysctls: Readonly<Record<string, string>>;
  /** IPv4/IPv6 forwarding in the namespace. */
  readonly forwarding: boolean;
  /** k8s-node only: the address on the mgmt network (198.19.255.0/24). */
  readonly mgmtIPv4?: string;
  /** k8s-node only: pod subnets in CIDR form; the node's bridge takes each one's first host. */
  readonly podSubnets: readonly string[];
  readonly pods: readonly Pod[];
}

export interface LinkEnd {
  readonly node: string;
  readonly iface: string;
}

export interface Link {
  readonly a: LinkEnd;
  readonly b: LinkEnd;
}

export interface Topology {
  readonly name: string;
  /** Absolute path of the file it came from ("" when parsed from text alone). */
  readonly file: string;
  readonly nodes: readonly LabNode[];
  readonly links: readonly Link[];
  /** Things in the file that were accepted but not acted on (binds, image...). */
  readonly notes: readonly string[];
}
