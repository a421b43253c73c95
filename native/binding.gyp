# The one native addon (N-API, C). Each concern is one source file registered from addon.c:
# tcp.c (TCP MD5, TTL/GTSM), packet.c (AF_PACKET frames for ARP/NDP), arp-fast.c (ARP replies in C),
# udp.c (UDP with the received TTL / hop limit, for BFD).
{
  "targets": [
    {
      "target_name": "headland_native",
      "sources": ["src/addon.c", "src/errors.c", "src/tcp.c", "src/packet.c", "src/arp-fast.c", "src/udp.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra"],
      "conditions": [["OS!='linux'", { "sources!": ["src/tcp.c", "src/packet.c", "src/udp.c"], "sources": ["src/unsupported.c"] }]]
    }
  ]
}
