// L2 wire codecs for the ARP and NDP responders: Ethernet, ARP (RFC 826), IPv6 header,
// ICMPv6 Neighbor Solicitation/Advertisement (RFC 4861) and whole-frame builders.
export * from './errors.js';
export * from './addresses.js';
export * from './ethernet.js';
export * from './arp.js';
export * from './ipv6.js';
export * from './checksum.js';
export * from './ndp.js';
export * from './frame.js';
