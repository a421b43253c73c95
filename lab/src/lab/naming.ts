// Every name the lab creates, derived from the lab name alone, so `down NAME` works with no state.
// Namespaces: hl-LAB_NODE[_POD]; root-namespace links (15-char kernel limit): hl<tag>-<suffix>.

import { LabError } from './errors.js';

/** Lab names: lowercase, no "_" (it separates lab from node in namespace names). */
const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,23}$/;
/** Node and pod names: no "_" or "." (FRR refuses dots in its pathspace), short enough for socket paths. */
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,23}$/;
const LAB_NAMESPACE = /^hl-([a-z0-9][a-z0-9-]{0,23})_/;
const LAB_LINK = /^hl[0-9a-z]{5}-/;

export const IFNAMSIZ = 15;
export const RUN_ROOT = '/run/headland-lab';
export const FRR_RUN_ROOT = '/var/run/frr';
/** Host ends of mgmt veths are numbered; two digits keep hl<tag>-mNN within 15 chars. */
export const MAX_MGMT_NODES = 99;

export function labNameProblem(name: string): string | undefined {
  return LAB_NAME.test(name) ? undefined : `"${name}" is not a lab name (1-24 of a-z, 0-9, "-", starting with a letter or digit)`;
}

export function nodeNameProblem(name: string): string | undefined {
  return NODE_NAME.test(name) ? undefined : `"${name}" is not a node name (1-24 of A-Z, a-z, 0-9, "-", starting with a letter or digit)`;
}

function checkLab(lab: string): void {
  const problem = labNameProblem(lab);
  if (problem !== undefined) throw new LabError('lab/naming', problem);
}

/**
 * Five base-36 characters from FNV-1a of the lab name: short enough for kernel link names,
 * stable so a crashed lab's links can be found again from its name.
 */
export function labTag(lab: string): string {
  checkLab(lab);
  let hash = 0x811c9dc5;
  for (const ch of Buffer.from(lab, 'utf8')) {
    hash ^= ch;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % 36 ** 5).toString(36).padStart(5, '0');
}

export function namespacePrefix(lab: string): string {
  checkLab(lab);
  return `hl-${lab}_`;
}

export function nodeNamespace(lab: string, node: string): string {
  return `${namespacePrefix(lab)}${node}`;
}

export function podNamespace(lab: string, node: string, pod: string): string {
  return `${nodeNamespace(lab, node)}_${pod}`;
}

/** The lab a namespace belongs to, if it follows the naming scheme. */
export function labOfNamespace(ns: string): string | undefined {
  return LAB_NAMESPACE.exec(ns)?.[1];
}

export function linkPrefix(lab: string): string {
  return `hl${labTag(lab)}-`;
}

export function isLabLink(name: string): boolean {
  return LAB_LINK.test(name);
}

export function mgmtBridge(lab: string): string {
  return `${linkPrefix(lab)}mgmt`;
}

/** Host end of the mgmt veth of the index-th k8s-node (0-based). */
export function mgmtHostLink(lab: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_MGMT_NODES) {
    throw new LabError('lab/naming', `mgmt link index ${index} is outside 0..${MAX_MGMT_NODES - 1}`);
  }
  return `${linkPrefix(lab)}m${index}`;
}

export function runDir(lab: string): string {
  checkLab(lab);
  return `${RUN_ROOT}/${lab}`;
}

export function nodeRunDir(lab: string, node: string): string {
  return `${runDir(lab)}/${node}`;
}

export function stateFile(lab: string): string {
  return `${runDir(lab)}/state.json`;
}

/** FRR's -N pathspace: the namespace name, which has neither "/" nor "." by construction. */
export function frrPathspace(lab: string, node: string): string {
  return nodeNamespace(lab, node);
}

export function gobgpTarget(lab: string, node: string): string {
  return `unix://${nodeRunDir(lab, node)}/gobgp.sock`;
}

export function birdSocket(lab: string, node: string): string {
  return `${nodeRunDir(lab, node)}/bird.ctl`;
}

/**
 * The nftables guard every k8s-node holds on its mgmt link (build.ts mgmtGuard), and its set of
 * pod networks the control plane (the API server on the mgmt gateway) may open TCP connections
 * to, which the kubelet stand-in fills with its --pod-cidr.
 */
export const MGMT_GUARD = { table: 'headland_lab_mgmt', podNetworks: 'pod_networks' } as const;

/** Link names the lab puts inside namespaces (never seen by the root namespace). */
export const IN_NAMESPACE = {
  mgmt: 'mgmt0',
  podBridge: 'pods',
  bridge: 'br0',
  podSide: 'eth0',
  /** Node end of the veth to its index-th pod. */
  podPeer: (index: number) => `vp${index}`,
} as const;
