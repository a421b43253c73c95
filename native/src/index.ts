// @headland/native: the one N-API addon. TCP MD5, TTL and GTSM for BGP sessions now;
// AF_PACKET frames for ARP/NDP (issue 7) go beside tcp.ts as their own module.
export * from './errors.js';
export { isSupported, addonPath } from './binding.js';
export { createTcpSocket, setTcpMd5Key, setTtl, resetTtl, getTtl, setMinTtl, getMinTtl, gtsmMinTtl, socketFd, type SocketTarget } from './tcp.js';
export { MAX_MD5_KEY_BYTES, type TcpSocketOptions } from './tcp-args.js';
