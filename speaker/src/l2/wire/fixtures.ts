// Frames captured with tcpdump -xx from Linux 6.18 between two lab namespaces (hl-l2r-fa
// 02:00:00:00:0a:01 198.18.250.2 2001:db8:250::2, hl-l2r-fb 02:00:00:00:0b:01 198.18.250.1
// 2001:db8:250::1), commented field by field. Shared by the codec and responder tests.

/** Hex with spaces, newlines and `# comments` to bytes. */
export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex'));

export const KERNEL_ARP_REQUEST = hex(`
  ff ff ff ff ff ff    # destination: broadcast
  02 00 00 00 0a 01    # source: the asker
  08 06                # EtherType: ARP
  00 01                # hardware type: Ethernet
  08 00                # protocol type: IPv4
  06 04                # address lengths: 6 and 4
  00 01                # operation: request
  02 00 00 00 0a 01    # sender MAC
  c6 12 fa 02          # sender IP 198.18.250.2
  00 00 00 00 00 00    # target MAC: unknown
  c6 12 fa 01          # target IP 198.18.250.1 (who has it?)
`);

export const KERNEL_ARP_REPLY = hex(`
  02 00 00 00 0a 01    # destination: the asker
  02 00 00 00 0b 01    # source: the owner
  08 06                # EtherType: ARP
  00 01 08 00 06 04    # Ethernet / IPv4 / 6 / 4
  00 02                # operation: reply
  02 00 00 00 0b 01    # sender MAC: the owner
  c6 12 fa 01          # sender IP 198.18.250.1
  02 00 00 00 0a 01    # target MAC: the asker
  c6 12 fa 02          # target IP 198.18.250.2
`);

export const KERNEL_NS = hex(`
  33 33 ff 00 00 01    # destination: solicited-node MAC of ff02::1:ff00:1
  02 00 00 00 0a 01    # source: the asker
  86 dd                # EtherType: IPv6
  60 00 00 00          # version 6, traffic class 0, flow label 0
  00 20                # payload length 32
  3a                   # next header 58 (ICMPv6)
  ff                   # hop limit 255
  20 01 0d b8 02 50 00 00 00 00 00 00 00 00 00 02   # source 2001:db8:250::2
  ff 02 00 00 00 00 00 00 00 00 00 01 ff 00 00 01   # destination ff02::1:ff00:1
  87                   # type 135: Neighbor Solicitation
  00                   # code 0
  0d 88                # checksum
  00 00 00 00          # reserved
  20 01 0d b8 02 50 00 00 00 00 00 00 00 00 00 01   # target 2001:db8:250::1
  01 01                # option: source link-layer address, 8 bytes
  02 00 00 00 0a 01    #   the asker's MAC
`);

export const KERNEL_NA = hex(`
  02 00 00 00 0a 01    # destination: the asker
  02 00 00 00 0b 01    # source: the owner
  86 dd                # EtherType: IPv6
  60 00 00 00          # version 6, traffic class 0, flow label 0
  00 20                # payload length 32
  3a ff                # ICMPv6, hop limit 255
  20 01 0d b8 02 50 00 00 00 00 00 00 00 00 00 01   # source 2001:db8:250::1 (the target itself)
  20 01 0d b8 02 50 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8:250::2 (the asker)
  88                   # type 136: Neighbor Advertisement
  00                   # code 0
  78 83                # checksum
  60 00 00 00          # flags: solicited, override (not router)
  20 01 0d b8 02 50 00 00 00 00 00 00 00 00 00 01   # target 2001:db8:250::1
  02 01                # option: target link-layer address, 8 bytes
  02 00 00 00 0b 01    #   the owner's MAC
`);

/** A copy of `frame` with `edits` (offset -> byte) applied. */
export function patched(frame: Uint8Array, edits: Record<number, number>): Uint8Array {
  const out = Uint8Array.from(frame);
  for (const [at, value] of Object.entries(edits)) out[Number(at)] = value;
  return out;
}
