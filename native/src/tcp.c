/*
 * TCP sockets with the options Node cannot set: TCP_MD5SIG (RFC 2385) per peer address or prefix,
 * IP_TTL/IPV6_UNICAST_HOPS (eBGP multihop, GTSM's 255) and IP_MINTTL/IPV6_MINHOPCOUNT (RFC 5082).
 * Every function works on a plain fd: one made here before connect, or one Node's handle owns.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "addon.h"

#define MAX_ARGS 4

/* An IPv4 or IPv6 address (text) as a sockaddr of `family`; IPv4 on an AF_INET6 socket is v4-mapped. */
static int to_sockaddr(const char *text, int family, int port, struct sockaddr_storage *out, socklen_t *len) {
  struct in_addr v4;
  struct in6_addr v6;
  memset(out, 0, sizeof *out);
  int is_v4 = inet_pton(AF_INET, text, &v4) == 1;
  int is_v6 = !is_v4 && inet_pton(AF_INET6, text, &v6) == 1;
  if (!is_v4 && !is_v6) return 0;
  if (family == AF_INET) {
    if (!is_v4) return 0;
    struct sockaddr_in *sin = (struct sockaddr_in *)out;
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    sin->sin_addr = v4;
    *len = sizeof *sin;
    return 1;
  }
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons((uint16_t)port);
  if (is_v6) {
    sin6->sin6_addr = v6;
  } else {
    sin6->sin6_addr.s6_addr[10] = 0xff;
    sin6->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&sin6->sin6_addr.s6_addr[12], &v4, 4);
  }
  *len = sizeof *sin6;
  return 1;
}

/* The address family of the socket behind fd (AF_INET or AF_INET6), or -1 with errno set. */
static int socket_family(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
  if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) {
    errno = EAFNOSUPPORT;
    return -1;
  }
  return ss.ss_family;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < want) {
    headland_throw_type(env, "too few arguments");
    return 0;
  }
  return 1;
}

static int get_string(napi_env env, napi_value value, const char *name, char *buf, size_t size) {
  size_t len;
  if (napi_get_value_string_utf8(env, value, buf, size, &len) != napi_ok || len + 1 >= size) {
    char text[96];
    snprintf(text, sizeof text, "%s must be a string shorter than %zu", name, size - 1);
    headland_throw_type(env, text);
    return 0;
  }
  return 1;
}

static napi_value int_result(napi_env env, int n) {
  napi_value v;
  HEADLAND_CALL(env, napi_create_int32(env, n, &v));
  return v;
}

/* tcpSocket(family 4|6) -> fd: non-blocking, close-on-exec, not yet bound or connected. */
static napi_value tcp_socket(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t family;
  if (!get_args(env, info, 1, argv) || !headland_arg_int(env, argv[0], "family", &family)) return NULL;
  if (family != 4 && family != 6) {
    headland_throw_type(env, "family must be 4 or 6");
    return NULL;
  }
  int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    headland_throw_errno(env, "socket", family == 4 ? "AF_INET" : "AF_INET6", -1, errno);
    return NULL;
  }
  return int_result(env, fd);
}

/* bind(fd, address, port): the source address of an outgoing session. */
static napi_value tcp_bind(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd, port;
  char address[INET6_ADDRSTRLEN + 1];
  if (!get_args(env, info, 3, argv) || !headland_arg_int(env, argv[0], "fd", &fd) ||
      !get_string(env, argv[1], "address", address, sizeof address) || !headland_arg_int(env, argv[2], "port", &port)) {
    return NULL;
  }
  int family = socket_family(fd);
  if (family < 0) {
    headland_throw_errno(env, "getsockname", "bind", fd, errno);
    return NULL;
  }
  struct sockaddr_storage ss;
  socklen_t len;
  if (!to_sockaddr(address, family, port, &ss, &len)) {
    headland_throw_type(env, "address is not an address of the socket's family");
    return NULL;
  }
  if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
    headland_throw_errno(env, "bind", address, fd, errno);
    return NULL;
  }
  return NULL;
}

/* close(fd): for a socket made here that never reached Node. */
static napi_value tcp_close(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !headland_arg_int(env, argv[0], "fd", &fd)) return NULL;
  if (close(fd) != 0) headland_throw_errno(env, "close", "fd", fd, errno);
  return NULL;
}

/*
 * setMd5Key(fd, address, prefixLength, key): the key TCP segments to and from `address` must be
 * signed with. prefixLength < 0 means that one address; otherwise every address in the prefix
 * (TCP_MD5SIG_EXT, Linux 4.13+). An empty key removes the entry.
 */
static napi_value tcp_set_md5(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd, prefix;
  char address[INET6_ADDRSTRLEN + 1];
  if (!get_args(env, info, 4, argv) || !headland_arg_int(env, argv[0], "fd", &fd) ||
      !get_string(env, argv[1], "address", address, sizeof address) || !headland_arg_int(env, argv[2], "prefixLength", &prefix)) {
    return NULL;
  }
  bool is_buffer;
  void *key;
  size_t key_len;
  if (napi_is_buffer(env, argv[3], &is_buffer) != napi_ok || !is_buffer || napi_get_buffer_info(env, argv[3], &key, &key_len) != napi_ok) {
    headland_throw_type(env, "key must be a Buffer");
    return NULL;
  }
  if (key_len > TCP_MD5SIG_MAXKEYLEN) {
    headland_throw_type(env, "key is longer than 80 bytes");
    return NULL;
  }
  int family = socket_family(fd);
  if (family < 0) {
    headland_throw_errno(env, "getsockname", "TCP_MD5SIG", fd, errno);
    return NULL;
  }
  struct tcp_md5sig sig;
  memset(&sig, 0, sizeof sig);
  socklen_t len;
  if (!to_sockaddr(address, family, 0, &sig.tcpm_addr, &len)) {
    headland_throw_type(env, "address is not an address the socket's family can reach");
    return NULL;
  }
  int option = TCP_MD5SIG;
  if (prefix >= 0) {
    int is_mapped = family == AF_INET6 && strchr(address, ':') == NULL;
    option = TCP_MD5SIG_EXT;
    sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
    sig.tcpm_prefixlen = (uint8_t)(is_mapped ? prefix + 96 : prefix);
  }
  sig.tcpm_keylen = (uint16_t)key_len;
  memcpy(sig.tcpm_key, key, key_len);
  int rc = setsockopt(fd, IPPROTO_TCP, option, &sig, sizeof sig);
  int err = errno;
  memset(&sig, 0, sizeof sig); /* the key does not linger on the stack */
  if (rc != 0) {
    /* Removing a key that was never set is what the caller wanted already. */
    if (key_len == 0 && err == ENOENT) return NULL;
    headland_throw_errno(env, "setsockopt", option == TCP_MD5SIG ? "TCP_MD5SIG" : "TCP_MD5SIG_EXT", fd, err);
  }
  return NULL;
}

/* One IP-level integer option with its IPv6 twin; on AF_INET6 sockets both are set (v4-mapped peers). */
struct int_option {
  const char *name4, *name6;
  int opt4, opt6;
};

static const struct int_option ttl_option = {"IP_TTL", "IPV6_UNICAST_HOPS", IP_TTL, IPV6_UNICAST_HOPS};
static const struct int_option min_ttl_option = {"IP_MINTTL", "IPV6_MINHOPCOUNT", IP_MINTTL, IPV6_MINHOPCOUNT};

static napi_value set_int_option(napi_env env, napi_callback_info info, const struct int_option *o) {
  napi_value argv[MAX_ARGS];
  int32_t fd, value;
  if (!get_args(env, info, 2, argv) || !headland_arg_int(env, argv[0], "fd", &fd) || !headland_arg_int(env, argv[1], "value", &value)) return NULL;
  int family = socket_family(fd);
  if (family < 0) {
    headland_throw_errno(env, "getsockname", o->name4, fd, errno);
    return NULL;
  }
  if (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, o->opt6, &value, sizeof value) != 0) {
    headland_throw_errno(env, "setsockopt", o->name6, fd, errno);
    return NULL;
  }
  if (setsockopt(fd, IPPROTO_IP, o->opt4, &value, sizeof value) != 0) {
    headland_throw_errno(env, "setsockopt", o->name4, fd, errno);
    return NULL;
  }
  return NULL;
}

static napi_value get_int_option(napi_env env, napi_callback_info info, const struct int_option *o) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !headland_arg_int(env, argv[0], "fd", &fd)) return NULL;
  int family = socket_family(fd);
  if (family < 0) {
    headland_throw_errno(env, "getsockname", o->name4, fd, errno);
    return NULL;
  }
  int value = 0;
  socklen_t len = sizeof value;
  int v6 = family == AF_INET6;
  if (getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? o->opt6 : o->opt4, &value, &len) != 0) {
    headland_throw_errno(env, "getsockopt", v6 ? o->name6 : o->name4, fd, errno);
    return NULL;
  }
  return int_result(env, value);
}

static napi_value set_ttl(napi_env env, napi_callback_info info) { return set_int_option(env, info, &ttl_option); }
static napi_value get_ttl(napi_env env, napi_callback_info info) { return get_int_option(env, info, &ttl_option); }
static napi_value set_min_ttl(napi_env env, napi_callback_info info) { return set_int_option(env, info, &min_ttl_option); }
static napi_value get_min_ttl(napi_env env, napi_callback_info info) { return get_int_option(env, info, &min_ttl_option); }

napi_status headland_register_tcp(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"tcpSocket", NULL, tcp_socket, NULL, NULL, NULL, napi_default, NULL},
      {"bind", NULL, tcp_bind, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, tcp_close, NULL, NULL, NULL, napi_default, NULL},
      {"setMd5Key", NULL, tcp_set_md5, NULL, NULL, NULL, napi_default, NULL},
      {"setTtl", NULL, set_ttl, NULL, NULL, NULL, napi_default, NULL},
      {"getTtl", NULL, get_ttl, NULL, NULL, NULL, napi_default, NULL},
      {"setMinTtl", NULL, set_min_ttl, NULL, NULL, NULL, napi_default, NULL},
      {"getMinTtl", NULL, get_min_ttl, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
