/*
 * UDP sockets that report the TTL / hop limit each datagram arrived with (IP_RECVTTL,
 * IPV6_RECVHOPLIMIT) and the address it was sent to (IP_PKTINFO, IPV6_RECVPKTINFO), which
 * Node's dgram cannot: BFD (RFC 5881 §5, RFC 5883 §5) must check them. Datagrams are read with
 * recvmsg from a libuv poll on the fd, as packet.c does; sends leave with the TTL set at open.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>
#include "addon.h"

#define MAX_ARGS 8
#define DATAGRAMS_PER_WAKEUP 64 /* then back to the loop, so a flood cannot starve timers and other I/O */
#define ADDRESS_TEXT (INET6_ADDRSTRLEN + IF_NAMESIZE + 2)

/* One open socket. Freed once both the JS external is finalized and libuv has closed the poll. */
struct udp_socket {
  uv_poll_t poll;
  napi_env env;
  napi_ref self;        /* strong while open: an open socket is not collected, like a dgram.Socket */
  napi_ref on_datagram; /* (length, address, port, ttl, localAddress, truncated) => void */
  napi_ref buffer;      /* the Buffer datagrams are received into */
  unsigned char *buf;
  size_t buf_len;
  napi_async_context async;
  int fd;
  int family;
  int open;
  int uv_closed;
  int finalized;
};

/*
 * "addr" or "addr%zone" (zone an interface name or index, IPv6 only) as a sockaddr of `family`;
 * 0 when it is no address of that family, -1 with errno set when the zone names no interface.
 */
static int parse_sockaddr(const char *text, int family, int port, struct sockaddr_storage *out, socklen_t *len) {
  char host[ADDRESS_TEXT];
  memset(out, 0, sizeof *out);
  if (strlen(text) >= sizeof host) return 0;
  strcpy(host, text);
  char *zone = strchr(host, '%');
  if (zone) *zone++ = '\0';
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)out;
    if (zone || inet_pton(AF_INET, host, &sin->sin_addr) != 1) return 0;
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    *len = sizeof *sin;
    return 1;
  }
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
  if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1) return 0;
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons((uint16_t)port);
  if (zone) {
    char *end;
    unsigned long index = strtoul(zone, &end, 10);
    if (*zone == '\0') return 0;
    if (*end != '\0') index = if_nametoindex(zone);
    if (index == 0) {
      errno = ENODEV;
      return -1;
    }
    sin6->sin6_scope_id = (uint32_t)index;
  }
  *len = sizeof *sin6;
  return 1;
}

/* IPv6 text with "%ifname" when a scope is given (link-local), as Node writes it. */
static void format_address(int family, const void *addr, unsigned scope, char *out) {
  inet_ntop(family, addr, out, INET6_ADDRSTRLEN);
  if (family == AF_INET6 && scope != 0) {
    char name[IF_NAMESIZE];
    size_t n = strlen(out);
    if (if_indextoname(scope, name)) snprintf(out + n, ADDRESS_TEXT - n, "%%%s", name);
    else snprintf(out + n, ADDRESS_TEXT - n, "%%%u", scope);
  }
}

static void free_if_done(struct udp_socket *s) {
  if (s->uv_closed && s->finalized) free(s);
}

static void on_uv_closed(uv_handle_t *handle) {
  struct udp_socket *s = handle->data;
  s->uv_closed = 1;
  free_if_done(s);
}

/* Stops polling, closes the fd, releases the callback; idempotent. */
static void shut(struct udp_socket *s) {
  if (!s->open) return;
  s->open = 0;
  uv_poll_stop(&s->poll);
  close(s->fd);
  s->fd = -1;
  if (s->on_datagram) napi_delete_reference(s->env, s->on_datagram);
  s->on_datagram = NULL;
  if (s->buffer) napi_delete_reference(s->env, s->buffer);
  s->buffer = NULL;
  if (s->async) napi_async_destroy(s->env, s->async);
  s->async = NULL;
  if (s->self) napi_delete_reference(s->env, s->self);
  s->self = NULL;
  uv_close((uv_handle_t *)&s->poll, on_uv_closed);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  struct udp_socket *s = data;
  s->finalized = 1;
  free_if_done(s);
}

/* One datagram to JS: its bytes are already in the shared buffer. Exceptions go to 'uncaughtException'. */
static int deliver(struct udp_socket *s, size_t length, const char *from, int port, int ttl, const char *to, int truncated) {
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return 0;
  napi_value callback, recv, argv[6], result;
  int ok = napi_get_reference_value(env, s->on_datagram, &callback) == napi_ok && callback != NULL &&
           napi_get_global(env, &recv) == napi_ok && napi_create_int32(env, (int32_t)length, &argv[0]) == napi_ok &&
           napi_create_string_utf8(env, from, NAPI_AUTO_LENGTH, &argv[1]) == napi_ok &&
           napi_create_int32(env, port, &argv[2]) == napi_ok && napi_create_int32(env, ttl, &argv[3]) == napi_ok &&
           (to ? napi_create_string_utf8(env, to, NAPI_AUTO_LENGTH, &argv[4]) : napi_get_null(env, &argv[4])) == napi_ok &&
           napi_get_boolean(env, truncated, &argv[5]) == napi_ok;
  bool pending = false;
  if (ok && napi_make_callback(env, s->async, recv, callback, 6, argv, &result) != napi_ok &&
      napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value error;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
  return ok;
}

/* The TTL / hop limit (-1 if absent) and destination address (empty if absent) from the control messages. */
static void read_cmsgs(struct msghdr *msg, int *ttl, char *to) {
  *ttl = -1;
  to[0] = '\0';
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
    if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) || (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
      memcpy(ttl, CMSG_DATA(c), sizeof *ttl);
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      format_address(AF_INET, &info.ipi_addr, 0, to);
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      format_address(AF_INET6, &info.ipi6_addr, IN6_IS_ADDR_LINKLOCAL(&info.ipi6_addr) ? info.ipi6_ifindex : 0, to);
    }
  }
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  struct udp_socket *s = handle->data;
  if (status < 0) {
    /* A pending socket error (an ICMP error with IP_RECVERR, a device gone): clear it and go on. */
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (s->open) uv_poll_start(&s->poll, UV_READABLE, on_readable);
    return;
  }
  if (!(events & UV_READABLE)) return;
  for (int i = 0; i < DATAGRAMS_PER_WAKEUP && s->open; i++) {
    struct sockaddr_storage from;
    union {
      struct cmsghdr align;
      char bytes[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
    } control;
    struct iovec iov = {.iov_base = s->buf, .iov_len = s->buf_len};
    struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                         .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
    ssize_t n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
    if (n < 0) return; /* EAGAIN: drained; anything else is per-datagram and transient on UDP */
    char source[ADDRESS_TEXT], local[ADDRESS_TEXT];
    int port, ttl;
    if (from.ss_family == AF_INET) {
      struct sockaddr_in *sin = (struct sockaddr_in *)&from;
      format_address(AF_INET, &sin->sin_addr, 0, source);
      port = ntohs(sin->sin_port);
    } else {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&from;
      format_address(AF_INET6, &sin6->sin6_addr, sin6->sin6_scope_id, source);
      port = ntohs(sin6->sin6_port);
    }
    read_cmsgs(&msg, &ttl, local);
    if (!deliver(s, (size_t)n, source, port, ttl, local[0] ? local : NULL, (msg.msg_flags & MSG_TRUNC) != 0)) return;
  }
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

static int get_buffer(napi_env env, napi_value value, const char *name, void **data, size_t *len) {
  bool is_buffer;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer || napi_get_buffer_info(env, value, data, len) != napi_ok) {
    char text[64];
    snprintf(text, sizeof text, "%s must be a Buffer", name);
    headland_throw_type(env, text);
    return 0;
  }
  return 1;
}

/* The open socket behind a handle from udpOpen, or NULL with a JS error thrown. */
static struct udp_socket *get_socket(napi_env env, napi_value value, const char *syscall) {
  void *data = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, &data) != napi_ok || !data) {
    headland_throw_type(env, "handle must be a UDP socket handle");
    return NULL;
  }
  struct udp_socket *s = data;
  if (!s->open) {
    headland_throw_errno(env, syscall, "closed", -1, EBADF);
    return NULL;
  }
  return s;
}

/* The options of a new socket, in order; the name of the one that failed, or NULL. */
static const char *configure(int fd, int family, int ttl, int reuse, const char *device) {
  int one = 1;
  if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return "SO_REUSEADDR";
  if (device[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)strlen(device)) != 0) return "SO_BINDTODEVICE";
  if (family == AF_INET) {
    if (ttl > 0 && setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) != 0) return "IP_TTL";
    if (setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one) != 0) return "IP_RECVTTL";
    if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) return "IP_PKTINFO";
    return NULL;
  }
  /* IPv6 only, so an IPv4 socket can hold the same port; IPv4 peers need their own socket. */
  if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) return "IPV6_V6ONLY";
  if (ttl > 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl) != 0) return "IPV6_UNICAST_HOPS";
  if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one) != 0) return "IPV6_RECVHOPLIMIT";
  if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) != 0) return "IPV6_RECVPKTINFO";
  return NULL;
}

/*
 * udpOpen(family, address, port, ttl, reuseAddress, device, buffer, onDatagram) -> handle.
 * family 4|6; port 0 picks one; ttl 0 keeps the system default; device "" binds to none.
 * Each datagram is received into `buffer`, then onDatagram(length, address, port, ttl,
 * localAddress | null, truncated) is called; ttl -1 if the kernel gave none.
 */
static napi_value udp_open(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t family, port, ttl;
  bool reuse;
  char address[ADDRESS_TEXT], device[IF_NAMESIZE + 1];
  void *buf;
  size_t buf_len;
  napi_valuetype type;
  if (!get_args(env, info, 8, argv) || !headland_arg_int(env, argv[0], "family", &family) ||
      !get_string(env, argv[1], "address", address, sizeof address) || !headland_arg_int(env, argv[2], "port", &port) ||
      !headland_arg_int(env, argv[3], "ttl", &ttl) || !get_string(env, argv[5], "device", device, sizeof device) ||
      !get_buffer(env, argv[6], "buffer", &buf, &buf_len)) {
    return NULL;
  }
  if ((family != 4 && family != 6) || port < 0 || port > 65535 || ttl < 0 || ttl > 255 || buf_len == 0 ||
      napi_get_value_bool(env, argv[4], &reuse) != napi_ok) {
    headland_throw_type(env, "family must be 4 or 6, port 0..65535, ttl 0..255, reuseAddress a boolean, buffer not empty");
    return NULL;
  }
  if (napi_typeof(env, argv[7], &type) != napi_ok || type != napi_function) {
    headland_throw_type(env, "onDatagram must be a function");
    return NULL;
  }
  int af = family == 4 ? AF_INET : AF_INET6;
  struct sockaddr_storage ss;
  socklen_t len;
  int parsed = parse_sockaddr(address, af, port, &ss, &len);
  if (parsed < 0) {
    headland_throw_errno(env, "if_nametoindex", address, -1, errno);
    return NULL;
  }
  if (parsed == 0) {
    headland_throw_type(env, "address is not an address of the socket's family");
    return NULL;
  }
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    headland_throw_errno(env, "socket", af == AF_INET ? "AF_INET" : "AF_INET6", -1, errno);
    return NULL;
  }
  const char *option = configure(fd, af, ttl, reuse, device);
  const char *failed = option ? "setsockopt" : NULL;
  if (!failed && bind(fd, (struct sockaddr *)&ss, len) != 0) failed = "bind", option = address;
  if (failed) {
    int err = errno;
    close(fd);
    headland_throw_errno(env, failed, option, fd, err);
    return NULL;
  }

  struct udp_socket *s = calloc(1, sizeof *s);
  uv_loop_t *loop;
  napi_value handle, resource_name;
  if (!s || napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &s->poll, fd) != 0) {
    free(s);
    close(fd);
    napi_throw_error(env, NULL, "native: cannot set up the libuv poll for a UDP socket");
    return NULL;
  }
  s->poll.data = s;
  s->env = env;
  s->fd = fd;
  s->family = af;
  s->buf = buf;
  s->buf_len = buf_len;
  s->open = 1;
  if (napi_create_external(env, s, finalize, NULL, &handle) != napi_ok || napi_create_reference(env, handle, 1, &s->self) != napi_ok ||
      napi_create_reference(env, argv[6], 1, &s->buffer) != napi_ok || napi_create_reference(env, argv[7], 1, &s->on_datagram) != napi_ok ||
      napi_create_string_utf8(env, "headland:udp", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_async_init(env, NULL, resource_name, &s->async) != napi_ok || uv_poll_start(&s->poll, UV_READABLE, on_readable) != 0) {
    shut(s);
    napi_throw_error(env, NULL, "native: cannot start receiving on a UDP socket");
    return NULL;
  }
  return handle;
}

/* udpLocalAddress(handle) -> [address, port] the socket is bound to (getsockname). */
static napi_value udp_local_address(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], result, v;
  if (!get_args(env, info, 1, argv)) return NULL;
  struct udp_socket *s = get_socket(env, argv[0], "getsockname");
  if (!s) return NULL;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(s->fd, (struct sockaddr *)&ss, &len) != 0) {
    headland_throw_errno(env, "getsockname", "local address", s->fd, errno);
    return NULL;
  }
  char text[ADDRESS_TEXT];
  int port;
  if (ss.ss_family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    format_address(AF_INET, &sin->sin_addr, 0, text);
    port = ntohs(sin->sin_port);
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    format_address(AF_INET6, &sin6->sin6_addr, sin6->sin6_scope_id, text);
    port = ntohs(sin6->sin6_port);
  }
  HEADLAND_CALL(env, napi_create_array_with_length(env, 2, &result));
  HEADLAND_CALL(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &v));
  HEADLAND_CALL(env, napi_set_element(env, result, 0, v));
  HEADLAND_CALL(env, napi_create_int32(env, port, &v));
  HEADLAND_CALL(env, napi_set_element(env, result, 1, v));
  return result;
}

/* udpSend(handle, data, address, port) -> bytes sent, or -1 when the queue is full (EAGAIN/ENOBUFS): dropped. */
static napi_value udp_send(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], result;
  void *data;
  size_t data_len;
  int32_t port;
  char address[ADDRESS_TEXT];
  if (!get_args(env, info, 4, argv)) return NULL;
  struct udp_socket *s = get_socket(env, argv[0], "sendto");
  if (!s || !get_buffer(env, argv[1], "data", &data, &data_len) || !get_string(env, argv[2], "address", address, sizeof address) ||
      !headland_arg_int(env, argv[3], "port", &port)) {
    return NULL;
  }
  if (port < 1 || port > 65535) {
    headland_throw_type(env, "port must be 1..65535");
    return NULL;
  }
  struct sockaddr_storage ss;
  socklen_t len;
  int parsed = parse_sockaddr(address, s->family, port, &ss, &len);
  if (parsed < 0) {
    headland_throw_errno(env, "if_nametoindex", address, s->fd, errno);
    return NULL;
  }
  if (parsed == 0) {
    headland_throw_type(env, "address is not an address of the socket's family");
    return NULL;
  }
  ssize_t n = sendto(s->fd, data, data_len, MSG_DONTWAIT, (struct sockaddr *)&ss, len);
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS) {
    headland_throw_errno(env, "sendto", address, s->fd, errno);
    return NULL;
  }
  HEADLAND_CALL(env, napi_create_int32(env, n < 0 ? -1 : (int32_t)n, &result));
  return result;
}

/* udpClose(handle): stops receiving and closes the fd; closing twice is a no-op. */
static napi_value udp_close(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *data = NULL;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    headland_throw_type(env, "handle must be a UDP socket handle");
    return NULL;
  }
  shut(data);
  return NULL;
}

/* udpRef(handle, keepLoopAlive): like dgram.Socket ref()/unref(). */
static napi_value udp_ref(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bool ref;
  if (!get_args(env, info, 2, argv)) return NULL;
  struct udp_socket *s = get_socket(env, argv[0], "ref");
  if (!s) return NULL;
  if (napi_get_value_bool(env, argv[1], &ref) != napi_ok) {
    headland_throw_type(env, "keepLoopAlive must be a boolean");
    return NULL;
  }
  if (ref) uv_ref((uv_handle_t *)&s->poll);
  else uv_unref((uv_handle_t *)&s->poll);
  return NULL;
}

napi_status headland_register_udp(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"udpOpen", NULL, udp_open, NULL, NULL, NULL, napi_default, NULL},
      {"udpLocalAddress", NULL, udp_local_address, NULL, NULL, NULL, napi_default, NULL},
      {"udpSend", NULL, udp_send, NULL, NULL, NULL, napi_default, NULL},
      {"udpClose", NULL, udp_close, NULL, NULL, NULL, napi_default, NULL},
      {"udpRef", NULL, udp_ref, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
