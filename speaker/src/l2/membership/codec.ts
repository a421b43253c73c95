// The membership datagram: a SWIM message (ping, ack, ping-req, gossip) with piggybacked member
// updates, signed with HMAC-SHA256 over every byte before the tag. Big-endian, one per UDP datagram.
//
//   0      2  3  4                 12                20      24      28
//   +------+--+--+-----------------+-----------------+-------+-------+
//   |"HL"  |v |ty| timestamp (ms)  | nonce           | seq   | incarn|
//   +------+--+--+-----------------+-----------------+-------+-------+
//   | sender: len u8 + UTF-8 | target: len u8 + UTF-8                |
//   | interfaces: count u8 (0..64), count x (len u8 (1..15) + bytes) |
//   | data plane (version 3 only):                                   |
//   |   flags u8: 0x01 known, 0x02 proxy serving, 0x04 overflow      |
//   |   not-serving count u8 (0..32), count x (len u8 + "ns/name")   |
//   | update count u8                                                |
//   | count x (state u8, incarnation u32, name: len u8 + UTF-8)      |
//   | HMAC-SHA256 (32 bytes) over everything above                   |
//
// The interfaces are the sender's own metadata (version 2): the names, sorted, of the interfaces
// it has among those an L2Advertisement names. Every message carries them, so a peer knows them
// from the first datagram it hears; they cost 1 byte plus 1 + length per name.
//
// The data plane is the sender's own kube-proxy as its L2 election needs it (version 3): whether
// /healthz is ok, and the Services it must not answer for. The list is bounded (32 keys, 512 bytes
// of them), so a datagram with typical names stays far below 1,232 bytes (IPv6's minimum MTU less
// its headers: never fragmented); a longer list is sent as "overflow" instead. An unknown state
// (flags 0) costs 2 bytes. Version 2 datagrams are still read, their data plane as unknown, and
// a member is sent the version of its last message (the newest until heard), so old and new
// speakers keep probing each other through a rolling upgrade; only a new speaker's messages to an
// old one it has not heard yet are refused there (bad-version), and count as missed probes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MembershipError, MembershipWireError, REJECT } from './errors.js';

export const MAGIC = 0x484c;
export const VERSION = 3;
/** The oldest version still read (and sent to a member that speaks only it). */
export const OLDEST_VERSION = 2;
export type WireVersion = 2 | 3;
export const MAC_LENGTH = 32;
/** RFC 2104 asks for a key at least as long as the hash output it is truncated to; 16 is the floor. */
export const MIN_KEY_LENGTH = 16;
const HEADER_LENGTH = 28;
const MAX_NAME_BYTES = 253;
export const MAX_UPDATES = 255;
export const MAX_INTERFACES = 64;
/** Linux's IFNAMSIZ is 16 with the terminating NUL. */
export const MAX_INTERFACE_BYTES = 15;
/** Service keys in one data-plane list, and their bytes on the wire (1 + length each). */
export const MAX_NOT_SERVING = 32;
export const MAX_NOT_SERVING_BYTES = 512;
/** A namespace and a Service name are DNS labels (63 bytes each) with "/" between. */
export const MAX_SERVICE_KEY_BYTES = 127;
const DATA_PLANE_FLAG = { Known: 0x01, ProxyServing: 0x02, Overflow: 0x04 } as const;

export const MESSAGE_TYPE = { Ping: 1, Ack: 2, PingReq: 3, Gossip: 4 } as const;
export type MessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE];

export const MEMBER_STATE = { Alive: 0, Suspect: 1, Dead: 2 } as const;
export type MemberState = (typeof MEMBER_STATE)[keyof typeof MEMBER_STATE];

export interface Update {
  readonly name: string;
  readonly state: MemberState;
  readonly incarnation: number;
}

/** What a node's kube-proxy serves, as the node publishes it for the L2 election. */
export interface NodeDataPlane {
  /** kube-proxy's /healthz answered ok (false also when not asked or not answered yet). */
  readonly proxyServing: boolean;
  /** Service keys ("ns/name") this node must not be a candidate for; sorted, no duplicates. */
  readonly notServing: readonly string[];
  /** Too many to list: not a candidate for any checked Local Service (notServing is then empty). */
  readonly overflow: boolean;
}

export interface Message {
  readonly type: MessageType;
  /** Sender's wall clock, ms since the epoch: the replay window is checked against it. */
  readonly timestamp: number;
  /** Random per message: a replay within the window repeats one. */
  readonly nonce: bigint;
  readonly seq: number;
  readonly sender: string;
  /** The sender's own incarnation: every message is also its claim to be alive. */
  readonly incarnation: number;
  /** Ping: the receiver; ping-req: the member to probe; ack: the member found alive; gossip: "". */
  readonly target: string;
  /** The sender's interfaces among those L2Advertisements name: sorted, no duplicates. */
  readonly interfaces: readonly string[];
  /** The sender's data plane (version 3); absent: unknown (not published, or a version 2 sender). */
  readonly dataPlane?: NodeDataPlane;
  readonly updates: readonly Update[];
}

export function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < MIN_KEY_LENGTH) {
    throw new MembershipError(`the key must be at least ${MIN_KEY_LENGTH} bytes (got ${key instanceof Uint8Array ? key.length : typeof key})`);
  }
}

function nameLength(name: string, what: string): number {
  const length = Buffer.byteLength(name, 'utf8');
  if (length === 0 && what !== 'target') throw new MembershipError(`the ${what} name is empty`);
  if (length > MAX_NAME_BYTES) throw new MembershipError(`the ${what} name is ${length} bytes, more than ${MAX_NAME_BYTES}`);
  return length;
}

/** Why a list of interface names cannot be sent, or undefined when it can. */
export function interfacesProblem(names: readonly string[]): string | undefined {
  if (names.length > MAX_INTERFACES) return `${names.length} interfaces, more than ${MAX_INTERFACES}`;
  for (const [i, name] of names.entries()) {
    const length = Buffer.byteLength(name, 'utf8');
    if (length === 0) return `interface ${i} has an empty name`;
    if (length > MAX_INTERFACE_BYTES) return `interface ${i} name is ${length} bytes, more than ${MAX_INTERFACE_BYTES}`;
    const before = names[i - 1];
    if (before !== undefined && !(before < name)) return `interface ${i} ${JSON.stringify(name)} is not after ${JSON.stringify(before)} (the list is sorted, without duplicates)`;
  }
  return undefined;
}

/** Why a data-plane state cannot be sent, or undefined when it can. */
export function dataPlaneProblem(state: NodeDataPlane): string | undefined {
  if (state.overflow && state.notServing.length > 0) return `overflow with ${state.notServing.length} not-serving keys (overflow lists none)`;
  if (state.notServing.length > MAX_NOT_SERVING) return `${state.notServing.length} not-serving keys, more than ${MAX_NOT_SERVING}`;
  let bytes = 0;
  for (const [i, key] of state.notServing.entries()) {
    const problem = serviceKeyProblem(key);
    if (problem !== undefined) return `not-serving key ${i} ${JSON.stringify(key)} ${problem}`;
    bytes += 1 + Buffer.byteLength(key, 'utf8');
    const before = state.notServing[i - 1];
    if (before !== undefined && !(before < key)) return `not-serving key ${i} ${JSON.stringify(key)} is not after ${JSON.stringify(before)} (the list is sorted, without duplicates)`;
  }
  if (bytes > MAX_NOT_SERVING_BYTES) return `not-serving keys take ${bytes} bytes, more than ${MAX_NOT_SERVING_BYTES}`;
  return undefined;
}

function serviceKeyProblem(key: string): string | undefined {
  const length = Buffer.byteLength(key, 'utf8');
  if (length > MAX_SERVICE_KEY_BYTES) return `is ${length} bytes, more than ${MAX_SERVICE_KEY_BYTES}`;
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1 || key.indexOf('/', slash + 1) !== -1) return 'is not "namespace/name"';
  return undefined;
}

/**
 * The state as it goes on the wire: keys sorted without duplicates, and overflow instead of a
 * list beyond the bounds (MAX_NOT_SERVING keys, MAX_NOT_SERVING_BYTES). Keys are not checked here.
 */
export function boundDataPlane(state: NodeDataPlane): NodeDataPlane {
  const keys = state.overflow ? [] : [...new Set(state.notServing)].sort();
  const bytes = keys.reduce((sum, key) => sum + 1 + Buffer.byteLength(key, 'utf8'), 0);
  const overflow = state.overflow || keys.length > MAX_NOT_SERVING || bytes > MAX_NOT_SERVING_BYTES;
  return { proxyServing: state.proxyServing, notServing: overflow ? [] : keys, overflow };
}

export function sameDataPlane(a: NodeDataPlane | undefined, b: NodeDataPlane | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.proxyServing === b.proxyServing && a.overflow === b.overflow && a.notServing.length === b.notServing.length && a.notServing.every((k, i) => k === b.notServing[i]);
}

/** Bytes of the message at `version` (2 leaves the data plane out). */
export function encodingLength(message: Message, version: WireVersion = VERSION): number {
  let length = HEADER_LENGTH + 1 + nameLength(message.sender, 'sender') + 1 + nameLength(message.target, 'target');
  length += 1;
  for (const name of message.interfaces) length += 1 + Buffer.byteLength(name, 'utf8');
  if (version >= 3) {
    length += 2;
    for (const key of message.dataPlane?.notServing ?? []) length += 1 + Buffer.byteLength(key, 'utf8');
  }
  length += 1;
  for (const u of message.updates) length += 1 + 4 + 1 + nameLength(u.name, 'update');
  return length + MAC_LENGTH;
}

/** Signs and encodes; at version 2 (for a member that speaks only it) the data plane is left out. */
export function encodeMessage(message: Message, key: Uint8Array, version: WireVersion = VERSION): Uint8Array {
  checkKey(key);
  if (version !== 2 && version !== 3) throw new MembershipError(`cannot encode version ${String(version)}`);
  const problem = interfacesProblem(message.interfaces);
  if (problem !== undefined) throw new MembershipError(problem);
  const dataPlane = version >= 3 ? message.dataPlane : undefined;
  const stateProblem = dataPlane === undefined ? undefined : dataPlaneProblem(dataPlane);
  if (stateProblem !== undefined) throw new MembershipError(`data plane: ${stateProblem}`);
  if (message.updates.length > MAX_UPDATES) throw new MembershipError(`${message.updates.length} updates in one message, more than ${MAX_UPDATES}`);
  const out = Buffer.alloc(encodingLength(message, version));
  out.writeUInt16BE(MAGIC, 0);
  out.writeUInt8(version, 2);
  out.writeUInt8(message.type, 3);
  out.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(message.timestamp))), 4);
  out.writeBigUInt64BE(BigInt.asUintN(64, message.nonce), 12);
  out.writeUInt32BE(message.seq >>> 0, 20);
  out.writeUInt32BE(message.incarnation >>> 0, 24);
  let at = writeName(out, HEADER_LENGTH, message.sender);
  at = writeName(out, at, message.target);
  out.writeUInt8(message.interfaces.length, at++);
  for (const name of message.interfaces) at = writeName(out, at, name);
  if (version >= 3) at = writeDataPlane(out, at, dataPlane);
  out.writeUInt8(message.updates.length, at++);
  for (const u of message.updates) {
    out.writeUInt8(u.state, at++);
    out.writeUInt32BE(u.incarnation >>> 0, at);
    at = writeName(out, at + 4, u.name);
  }
  mac(key, out.subarray(0, at)).copy(out, at);
  return out;
}

function writeDataPlane(out: Buffer, at: number, state: NodeDataPlane | undefined): number {
  let flags = 0;
  if (state !== undefined) {
    flags = DATA_PLANE_FLAG.Known;
    if (state.proxyServing) flags |= DATA_PLANE_FLAG.ProxyServing;
    if (state.overflow) flags |= DATA_PLANE_FLAG.Overflow;
  }
  out.writeUInt8(flags, at++);
  out.writeUInt8(state?.notServing.length ?? 0, at++);
  for (const key of state?.notServing ?? []) at = writeName(out, at, key);
  return at;
}

function writeName(out: Buffer, at: number, name: string): number {
  const written = out.write(name, at + 1, 'utf8');
  out.writeUInt8(written, at);
  return at + 1 + written;
}

function mac(key: Uint8Array, bytes: Uint8Array): Buffer {
  return createHmac('sha256', key).update(bytes).digest();
}

/**
 * Checks the tag before reading any field past the version, so a forger learns nothing from
 * how the parse fails. Throws MembershipWireError with the reason the protocol counts.
 */
export function decodeMessage(bytes: Uint8Array, key: Uint8Array): Message {
  checkKey(key);
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < HEADER_LENGTH + 4 + MAC_LENGTH) throw new MembershipWireError(REJECT.Malformed, `${data.length} bytes is shorter than any message`);
  if (data.readUInt16BE(0) !== MAGIC) throw new MembershipWireError(REJECT.Malformed, 'no "HL" magic');
  const version = data.readUInt8(2);
  if (version < OLDEST_VERSION || version > VERSION) throw new MembershipWireError(REJECT.BadVersion, `version ${version}, expected ${OLDEST_VERSION} to ${VERSION}`);
  const body = data.subarray(0, data.length - MAC_LENGTH);
  if (!timingSafeEqual(mac(key, body), data.subarray(data.length - MAC_LENGTH))) throw new MembershipWireError(REJECT.BadMac, 'the HMAC does not match');

  const type = body.readUInt8(3);
  if (type < MESSAGE_TYPE.Ping || type > MESSAGE_TYPE.Gossip) throw new MembershipWireError(REJECT.Malformed, `message type ${type}`);
  const timestamp = Number(body.readBigUInt64BE(4));
  const nonce = body.readBigUInt64BE(12);
  const seq = body.readUInt32BE(20);
  const incarnation = body.readUInt32BE(24);
  let [sender, at] = readName(body, HEADER_LENGTH, 'sender');
  if (sender === '') throw new MembershipWireError(REJECT.Malformed, 'empty sender');
  let target: string;
  [target, at] = readName(body, at, 'target');
  let interfaces: string[];
  [interfaces, at] = readInterfaces(body, at);
  let dataPlane: NodeDataPlane | undefined;
  if (version >= 3) [dataPlane, at] = readDataPlane(body, at);
  if (at >= body.length) throw new MembershipWireError(REJECT.Malformed, 'no update count');
  const count = body.readUInt8(at++);
  const updates: Update[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 5 > body.length) throw new MembershipWireError(REJECT.Malformed, `update ${i} is cut short`);
    const state = body.readUInt8(at);
    if (state > MEMBER_STATE.Dead) throw new MembershipWireError(REJECT.Malformed, `update ${i} has state ${state}`);
    const updateIncarnation = body.readUInt32BE(at + 1);
    let name: string;
    [name, at] = readName(body, at + 5, `update ${i}`);
    updates.push({ name, state: state as MemberState, incarnation: updateIncarnation });
  }
  if (at !== body.length) throw new MembershipWireError(REJECT.Malformed, `${body.length - at} bytes after the updates`);
  return { type: type as MessageType, timestamp, nonce, seq, sender, incarnation, target, interfaces, ...(dataPlane === undefined ? {} : { dataPlane }), updates };
}

/** The version byte of a datagram decodeMessage accepted. */
export function wireVersionOf(bytes: Uint8Array): WireVersion {
  return bytes[2] === 2 ? 2 : 3;
}

function readDataPlane(body: Buffer, at: number): [NodeDataPlane | undefined, number] {
  if (at + 2 > body.length) throw new MembershipWireError(REJECT.Malformed, 'no data-plane flags and count');
  const flags = body.readUInt8(at);
  const count = body.readUInt8(at + 1);
  at += 2;
  const all = DATA_PLANE_FLAG.Known | DATA_PLANE_FLAG.ProxyServing | DATA_PLANE_FLAG.Overflow;
  if ((flags & ~all) !== 0) throw new MembershipWireError(REJECT.Malformed, `data-plane flags 0x${flags.toString(16).padStart(2, '0')} have unknown bits`);
  if ((flags & DATA_PLANE_FLAG.Known) === 0) {
    if (flags !== 0 || count !== 0) throw new MembershipWireError(REJECT.Malformed, `data-plane flags 0x${flags.toString(16).padStart(2, '0')} with count ${count}: an unknown state has neither`);
    return [undefined, at];
  }
  if (count > MAX_NOT_SERVING) throw new MembershipWireError(REJECT.Malformed, `data plane: ${count} not-serving keys, more than ${MAX_NOT_SERVING}`);
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    let key: string;
    [key, at] = readName(body, at, `not-serving key ${i}`);
    keys.push(key);
  }
  const state = { proxyServing: (flags & DATA_PLANE_FLAG.ProxyServing) !== 0, notServing: keys, overflow: (flags & DATA_PLANE_FLAG.Overflow) !== 0 };
  const problem = dataPlaneProblem(state);
  if (problem !== undefined) throw new MembershipWireError(REJECT.Malformed, `data plane: ${problem}`);
  return [state, at];
}

function readInterfaces(body: Buffer, at: number): [string[], number] {
  if (at >= body.length) throw new MembershipWireError(REJECT.Malformed, 'no interface count');
  const count = body.readUInt8(at++);
  if (count > MAX_INTERFACES) throw new MembershipWireError(REJECT.Malformed, `${count} interfaces, more than ${MAX_INTERFACES}`);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = at < body.length ? body.readUInt8(at) : 1;
    if (length === 0) throw new MembershipWireError(REJECT.Malformed, `interface ${i} has an empty name`);
    if (length > MAX_INTERFACE_BYTES) throw new MembershipWireError(REJECT.Malformed, `interface ${i} name is ${length} bytes, more than ${MAX_INTERFACE_BYTES}`);
    let name: string;
    [name, at] = readName(body, at, `interface ${i}`);
    names.push(name);
  }
  const problem = interfacesProblem(names);
  if (problem !== undefined) throw new MembershipWireError(REJECT.Malformed, problem);
  return [names, at];
}

function readName(body: Buffer, at: number, what: string): [string, number] {
  if (at >= body.length) throw new MembershipWireError(REJECT.Malformed, `no ${what} name`);
  const length = body.readUInt8(at);
  if (at + 1 + length > body.length) throw new MembershipWireError(REJECT.Malformed, `the ${what} name runs past the end`);
  return [body.toString('utf8', at + 1, at + 1 + length), at + 1 + length];
}
