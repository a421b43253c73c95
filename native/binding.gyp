# The one native addon (N-API, C). Each concern is one source file registered from addon.c:
# tcp.c (TCP MD5, TTL/GTSM); AF_PACKET frames go beside it as packet.c (issue 7).
{
  "targets": [
    {
      "target_name": "headland_native",
      "sources": ["src/addon.c", "src/errors.c", "src/tcp.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra"],
      "conditions": [["OS!='linux'", { "sources!": ["src/tcp.c"], "sources": ["src/unsupported.c"] }]]
    }
  ]
}
