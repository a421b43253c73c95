// @headland/native: the one N-API addon. TCP MD5, TTL and GTSM for BGP sessions;
// AF_PACKET frames for ARP/NDP (packet.ts); UDP with the received TTL for BFD (udp.ts).
export * from './errors.js';
export { isSupported, addonPath } from './binding.js';
export { createTcpSocket, setTcpMd5Key, setTtl, resetTtl, getTtl, setMinTtl, getMinTtl, gtsmMinTtl, socketFd, type SocketTarget } from './tcp.js';
export { MAX_MD5_KEY_BYTES, type TcpSocketOptions } from './tcp-args.js';
export { PacketSocket, arpFastReply, interfaceInfo, PACKET_TYPES, type PacketType, type InterfaceInfo, type PacketSocketOptions, type PacketSocketStats } from './packet.js';
export { PACKET_PROTOCOLS, type PacketProtocol } from './packet-args.js';
export { UdpSocket, UDP_RECEIVE_BUFFER_BYTES, type UdpDatagram, type UdpSocketOpenOptions } from './udp.js';
export { MAX_UDP_PAYLOAD, type UdpSocketOptions } from './udp-args.js';
