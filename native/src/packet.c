/*
 * AF_PACKET sockets for ARP and NDP: one per interface, bound to it, with a classic BPF filter in
 * the kernel (ARP; ICMPv6 Neighbor Solicitation), frames received through a libuv poll on the fd.
 * Frames are whole Ethernet frames (SOCK_RAW), so the IPv6 hop limit RFC 4861 asks for is readable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>
#include "addon.h"
#include "arp-fast.h"

#define MAX_ARGS 4
#define SNAP_BYTES 2048        /* ARP and NS frames are small; the filter truncates anything longer */
#define FRAMES_PER_WAKEUP 64   /* then back to the loop, so a flood cannot starve timers and other I/O */
#define PROTO_ARP 1
#define PROTO_NS 2

/* One open socket. Freed once both the JS external is finalized and libuv has closed the poll. */
struct packet_socket {
  uv_poll_t poll;
  napi_env env;
  napi_ref self;       /* strong while open: an open socket is not collected, like a net.Server */
  napi_ref on_frame;   /* (length, packetType, answered: 0|1) => void; the frame is in `frames` */
  napi_ref frames;     /* a SNAP_BYTES Buffer V8 owns; frames are received straight into it */
  unsigned char *buf;  /* its bytes (an ArrayBuffer's backing store never moves) */
  napi_async_context async;
  struct fast_arp fast; /* ARP requests answered here before JS sees them (setFastArp); n 0: off */
  int fd;
  int ifindex;
  int open;
  int uv_closed;
  int finalized;
};

static void free_if_done(struct packet_socket *s) {
  if (!(s->uv_closed && s->finalized)) return;
  fast_arp_clear(&s->fast);
  free(s);
}

static void on_uv_closed(uv_handle_t *handle) {
  struct packet_socket *s = handle->data;
  s->uv_closed = 1;
  free_if_done(s);
}

/* Stops polling, closes the fd, releases the callback; idempotent. */
static void shut(struct packet_socket *s) {
  if (!s->open) return;
  s->open = 0;
  uv_poll_stop(&s->poll);
  close(s->fd);
  s->fd = -1;
  fast_arp_clear(&s->fast);
  if (s->on_frame) napi_delete_reference(s->env, s->on_frame);
  s->on_frame = NULL;
  if (s->frames) napi_delete_reference(s->env, s->frames);
  s->frames = NULL;
  if (s->async) napi_async_destroy(s->env, s->async);
  s->async = NULL;
  if (s->self) napi_delete_reference(s->env, s->self);
  s->self = NULL;
  uv_close((uv_handle_t *)&s->poll, on_uv_closed);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  struct packet_socket *s = data;
  s->finalized = 1;
  free_if_done(s);
}

/*
 * Hands one frame to JS as its length (the bytes are already in the shared buffer: no allocation
 * per frame) and whether the fast path already answered it; an exception there goes to
 * 'uncaughtException' (the TS side catches its own).
 */
static int deliver(struct packet_socket *s, size_t length, int packet_type, int answered) {
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return 0;
  napi_value callback, recv, argv[3], result;
  int ok = napi_get_reference_value(env, s->on_frame, &callback) == napi_ok && callback != NULL &&
           napi_get_global(env, &recv) == napi_ok && /* MakeCallback wants an object as `this` */
           napi_create_int32(env, (int32_t)length, &argv[0]) == napi_ok &&
           napi_create_int32(env, packet_type, &argv[1]) == napi_ok &&
           napi_create_int32(env, answered, &argv[2]) == napi_ok;
  bool pending = false;
  if (ok && napi_make_callback(env, s->async, recv, callback, 3, argv, &result) != napi_ok &&
      napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value error;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
  return ok;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  struct packet_socket *s = handle->data;
  if (status < 0) {
    /*
     * The interface went down: the kernel sets ENETDOWN on the socket, epoll reports POLLERR,
     * and libuv stops the poll. Reading SO_ERROR clears the error; the kernel hooks the socket
     * back in when the link comes up, so polling again is all it takes to keep answering.
     */
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (s->open) uv_poll_start(&s->poll, UV_READABLE, on_readable);
    return;
  }
  if (!(events & UV_READABLE)) return;
  for (int i = 0; i < FRAMES_PER_WAKEUP && s->open; i++) {
    struct sockaddr_ll from;
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(s->fd, s->buf, SNAP_BYTES, MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
    if (n < 0) return; /* EAGAIN: drained; other errors are transient on packet sockets (ENETDOWN) */
    /* PACKET_IGNORE_OUTGOING may be missing (kernels before 4.20): our own kernel's frames are not requests to us. */
    if (from.sll_pkttype == PACKET_OUTGOING) continue;
    /*
     * The fast path: entering JS after an idle second costs ~200 us, the reply itself a few. JS still
     * sees the frame, to count it; when the send fails it answers (and counts the failure) itself.
     */
    int answered = 0;
    if (s->fast.n > 0) {
      uint8_t reply[ARP_FAST_REPLY_BYTES];
      size_t m = arp_fast_reply(s->buf, (size_t)n, &s->fast, reply);
      if (m > 0 && send(s->fd, reply, m, MSG_DONTWAIT) == (ssize_t)m) answered = 1;
    }
    if (!deliver(s, (size_t)n, from.sll_pkttype, answered)) return;
  }
}

/*
 * The kernel filter: ARP (any opcode, so bad ones are seen and counted), and IPv6 whose next header
 * is ICMPv6 with type 135 (Neighbor Solicitation). Offsets are into the Ethernet frame; VLAN tags
 * are stripped by the kernel before packet sockets see the frame.
 */
static int attach_filter(int fd, int protocols) {
  enum { ACCEPT = 7, DROP = 8 };
  struct sock_filter code[] = {
      /* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
      /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, (protocols & PROTO_ARP) ? ACCEPT - 2 : DROP - 2, 0),
      /* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, (protocols & PROTO_NS) ? 0 : DROP - 3, DROP - 3),
      /* 3 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 6),
      /* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, DROP - 5),
      /* 5 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 40),
      /* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 135, ACCEPT - 7, DROP - 7),
      /* 7 */ BPF_STMT(BPF_RET | BPF_K, SNAP_BYTES),
      /* 8 */ BPF_STMT(BPF_RET | BPF_K, 0),
  };
  struct sock_fprog program = {.len = sizeof code / sizeof code[0], .filter = code};
  return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program);
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

/* The open socket behind a handle from packetOpen, or NULL with a JS error thrown. */
static struct packet_socket *get_socket(napi_env env, napi_value value, const char *syscall) {
  void *data = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, &data) != napi_ok || !data) {
    headland_throw_type(env, "handle must be a packet socket handle");
    return NULL;
  }
  struct packet_socket *s = data;
  if (!s->open) {
    headland_throw_errno(env, syscall, "closed", -1, EBADF);
    return NULL;
  }
  return s;
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

/* interfaceInfo(name) -> { index, mac: Buffer, hardwareType, flags, mtu } from the calling thread's netns. */
static napi_value interface_info(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  char name[IFNAMSIZ + 1];
  size_t len;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok || len == 0 || len >= IFNAMSIZ) {
    headland_throw_type(env, "interface name must be a string of 1..15 bytes");
    return NULL;
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    headland_throw_errno(env, "socket", "AF_INET", -1, errno);
    return NULL;
  }
  struct ifreq ifr;
  int values[3];
  const unsigned long requests[3] = {SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFMTU};
  const char *names[3] = {"SIOCGIFINDEX", "SIOCGIFFLAGS", "SIOCGIFMTU"};
  for (int i = 0; i < 3; i++) {
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, name, len);
    if (ioctl(fd, requests[i], &ifr) != 0) {
      int err = errno;
      close(fd);
      headland_throw_errno(env, "ioctl", names[i], -1, err);
      return NULL;
    }
    values[i] = i == 0 ? ifr.ifr_ifindex : i == 1 ? ifr.ifr_flags : ifr.ifr_mtu;
  }
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, name, len);
  int rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
  int err = errno;
  close(fd);
  if (rc != 0) {
    headland_throw_errno(env, "ioctl", "SIOCGIFHWADDR", -1, err);
    return NULL;
  }
  napi_value result, v;
  HEADLAND_CALL(env, napi_create_object(env, &result));
  HEADLAND_CALL(env, napi_create_int32(env, values[0], &v));
  HEADLAND_CALL(env, napi_set_named_property(env, result, "index", v));
  HEADLAND_CALL(env, napi_create_int32(env, values[1] & 0xffff, &v));
  HEADLAND_CALL(env, napi_set_named_property(env, result, "flags", v));
  HEADLAND_CALL(env, napi_create_int32(env, values[2], &v));
  HEADLAND_CALL(env, napi_set_named_property(env, result, "mtu", v));
  HEADLAND_CALL(env, napi_create_int32(env, ifr.ifr_hwaddr.sa_family, &v));
  HEADLAND_CALL(env, napi_set_named_property(env, result, "hardwareType", v));
  HEADLAND_CALL(env, napi_create_buffer_copy(env, 6, ifr.ifr_hwaddr.sa_data, NULL, &v));
  HEADLAND_CALL(env, napi_set_named_property(env, result, "mac", v));
  return result;
}

/*
 * packetOpen(ifindex, protocols, frames, onFrame) -> handle. `frames` is a Buffer of at least 2048
 * bytes that every received frame is written into before onFrame(length, packetType, answered) is called. protocols: 1 ARP, 2 NS, 3 both. The socket is
 * made with protocol 0 (receives nothing), gets its filter, and only then is bound, so no
 * unfiltered frame is ever queued on it. Not promiscuous: only frames the interface accepts.
 */
static napi_value packet_open(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t ifindex, protocols;
  napi_valuetype type;
  void *frames;
  size_t frames_len;
  if (!get_args(env, info, 4, argv) || !headland_arg_int(env, argv[0], "ifindex", &ifindex) ||
      !headland_arg_int(env, argv[1], "protocols", &protocols)) {
    return NULL;
  }
  if (ifindex <= 0 || protocols < 1 || protocols > 3) {
    headland_throw_type(env, "ifindex must be positive and protocols 1..3");
    return NULL;
  }
  if (!get_buffer(env, argv[2], "frames", &frames, &frames_len)) return NULL;
  if (frames_len < SNAP_BYTES) {
    headland_throw_type(env, "frames must be at least 2048 bytes");
    return NULL;
  }
  if (napi_typeof(env, argv[3], &type) != napi_ok || type != napi_function) {
    headland_throw_type(env, "onFrame must be a function");
    return NULL;
  }
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    headland_throw_errno(env, "socket", "AF_PACKET", -1, errno);
    return NULL;
  }
  const char *failed = NULL;
  const char *option = NULL;
  int one = 1;
  if (attach_filter(fd, protocols) != 0) {
    failed = "setsockopt", option = "SO_ATTACH_FILTER";
  } else if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0 && errno != ENOPROTOOPT) {
    failed = "setsockopt", option = "PACKET_IGNORE_OUTGOING";
  } else {
    struct sockaddr_ll addr;
    memset(&addr, 0, sizeof addr);
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) failed = "bind", option = "AF_PACKET";
  }
  if (failed) {
    int err = errno;
    close(fd);
    headland_throw_errno(env, failed, option, fd, err);
    return NULL;
  }

  struct packet_socket *s = calloc(1, sizeof *s);
  uv_loop_t *loop;
  napi_value handle, resource_name;
  if (!s || napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &s->poll, fd) != 0) {
    free(s);
    close(fd);
    napi_throw_error(env, NULL, "native: cannot set up the libuv poll for a packet socket");
    return NULL;
  }
  s->poll.data = s;
  s->env = env;
  s->fd = fd;
  s->ifindex = ifindex;
  s->buf = frames;
  s->open = 1;
  if (napi_create_external(env, s, finalize, NULL, &handle) != napi_ok ||
      napi_create_reference(env, handle, 1, &s->self) != napi_ok ||
      napi_create_reference(env, argv[2], 1, &s->frames) != napi_ok ||
      napi_create_reference(env, argv[3], 1, &s->on_frame) != napi_ok ||
      napi_create_string_utf8(env, "headland:packet", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_async_init(env, NULL, resource_name, &s->async) != napi_ok || uv_poll_start(&s->poll, UV_READABLE, on_readable) != 0) {
    shut(s);
    napi_throw_error(env, NULL, "native: cannot start receiving on a packet socket");
    return NULL;
  }
  return handle;
}

/* packetSend(handle, frame) -> bytes sent, or -1 when the queue is full (EAGAIN/ENOBUFS): the frame is dropped. */
static napi_value packet_send(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], result;
  void *data;
  size_t len;
  if (!get_args(env, info, 2, argv)) return NULL;
  struct packet_socket *s = get_socket(env, argv[0], "send");
  if (!s || !get_buffer(env, argv[1], "frame", &data, &len)) return NULL;
  ssize_t n = send(s->fd, data, len, MSG_DONTWAIT);
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS) {
    headland_throw_errno(env, "send", "AF_PACKET", s->fd, errno);
    return NULL;
  }
  HEADLAND_CALL(env, napi_create_int32(env, n < 0 ? -1 : (int32_t)n, &result));
  return result;
}

/* The mac (6 bytes) and ips (4 bytes each) arguments of setFastArp and arpFastReply. */
static int get_table_args(napi_env env, napi_value mac_value, napi_value ips_value, uint8_t **mac, uint8_t **ips, size_t *n) {
  size_t mac_len, ips_len;
  if (!get_buffer(env, mac_value, "mac", (void **)mac, &mac_len) || !get_buffer(env, ips_value, "ips", (void **)ips, &ips_len)) return 0;
  if (mac_len != 6 || ips_len % 4 != 0) {
    headland_throw_type(env, "mac must be 6 bytes and ips a multiple of 4 bytes");
    return 0;
  }
  *n = ips_len / 4;
  return 1;
}

/* packetSetFastArp(handle, mac, ips): the table of IPv4 addresses answered in C (empty ips: off). */
static napi_value packet_set_fast_arp(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  uint8_t *mac, *ips;
  size_t n;
  if (!get_args(env, info, 3, argv)) return NULL;
  struct packet_socket *s = get_socket(env, argv[0], "setFastArp");
  if (!s || !get_table_args(env, argv[1], argv[2], &mac, &ips, &n)) return NULL;
  if (fast_arp_set(&s->fast, mac, ips, n) != 0) napi_throw_error(env, NULL, "native: out of memory for the ARP fast-path table (it is off)");
  return NULL;
}

/* arpFastReply(frame, mac, ips) -> the reply the fast path would send, or null; pure, for tests. */
static napi_value arp_fast_reply_js(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], result;
  uint8_t *frame, *mac, *ips, reply[ARP_FAST_REPLY_BYTES];
  size_t frame_len, n;
  if (!get_args(env, info, 3, argv) || !get_buffer(env, argv[0], "frame", (void **)&frame, &frame_len) ||
      !get_table_args(env, argv[1], argv[2], &mac, &ips, &n)) {
    return NULL;
  }
  struct fast_arp table = {{0}, NULL, 0};
  if (fast_arp_set(&table, mac, ips, n) != 0) {
    napi_throw_error(env, NULL, "native: out of memory for an ARP table");
    return NULL;
  }
  size_t m = arp_fast_reply(frame, frame_len, &table, reply);
  fast_arp_clear(&table);
  if (m == 0) HEADLAND_CALL(env, napi_get_null(env, &result));
  else HEADLAND_CALL(env, napi_create_buffer_copy(env, m, reply, NULL, &result));
  return result;
}

/* packetMembership(handle, mac, add): PACKET_ADD/DROP_MEMBERSHIP with PACKET_MR_MULTICAST (e.g. 33:33:ff:xx:xx:xx). */
static napi_value packet_membership(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *mac;
  size_t len;
  bool add;
  if (!get_args(env, info, 3, argv)) return NULL;
  struct packet_socket *s = get_socket(env, argv[0], "setsockopt");
  if (!s || !get_buffer(env, argv[1], "mac", &mac, &len)) return NULL;
  if (len != 6 || napi_get_value_bool(env, argv[2], &add) != napi_ok) {
    headland_throw_type(env, "mac must be 6 bytes and add a boolean");
    return NULL;
  }
  struct packet_mreq mreq;
  memset(&mreq, 0, sizeof mreq);
  mreq.mr_ifindex = s->ifindex;
  mreq.mr_type = PACKET_MR_MULTICAST;
  mreq.mr_alen = 6;
  memcpy(mreq.mr_address, mac, 6);
  int option = add ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP;
  if (setsockopt(s->fd, SOL_PACKET, option, &mreq, sizeof mreq) != 0) {
    headland_throw_errno(env, "setsockopt", add ? "PACKET_ADD_MEMBERSHIP" : "PACKET_DROP_MEMBERSHIP", s->fd, errno);
  }
  return NULL;
}

/* packetStats(handle) -> [received, dropped] since the last call (PACKET_STATISTICS resets on read). */
static napi_value packet_stats(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], result, v;
  if (!get_args(env, info, 1, argv)) return NULL;
  struct packet_socket *s = get_socket(env, argv[0], "getsockopt");
  if (!s) return NULL;
  struct tpacket_stats stats;
  socklen_t len = sizeof stats;
  if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &stats, &len) != 0) {
    headland_throw_errno(env, "getsockopt", "PACKET_STATISTICS", s->fd, errno);
    return NULL;
  }
  HEADLAND_CALL(env, napi_create_array_with_length(env, 2, &result));
  HEADLAND_CALL(env, napi_create_uint32(env, stats.tp_packets, &v));
  HEADLAND_CALL(env, napi_set_element(env, result, 0, v));
  HEADLAND_CALL(env, napi_create_uint32(env, stats.tp_drops, &v));
  HEADLAND_CALL(env, napi_set_element(env, result, 1, v));
  return result;
}

/* packetClose(handle): stops receiving and closes the fd; closing twice is a no-op. */
static napi_value packet_close(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *data = NULL;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    headland_throw_type(env, "handle must be a packet socket handle");
    return NULL;
  }
  shut(data);
  return NULL;
}

/* packetRef(handle, keepLoopAlive): like net.Socket ref()/unref(). */
static napi_value packet_ref(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bool ref;
  if (!get_args(env, info, 2, argv)) return NULL;
  struct packet_socket *s = get_socket(env, argv[0], "ref");
  if (!s) return NULL;
  if (napi_get_value_bool(env, argv[1], &ref) != napi_ok) {
    headland_throw_type(env, "keepLoopAlive must be a boolean");
    return NULL;
  }
  if (ref) uv_ref((uv_handle_t *)&s->poll);
  else uv_unref((uv_handle_t *)&s->poll);
  return NULL;
}

napi_status headland_register_packet(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"interfaceInfo", NULL, interface_info, NULL, NULL, NULL, napi_default, NULL},
      {"packetOpen", NULL, packet_open, NULL, NULL, NULL, napi_default, NULL},
      {"packetSend", NULL, packet_send, NULL, NULL, NULL, napi_default, NULL},
      {"packetSetFastArp", NULL, packet_set_fast_arp, NULL, NULL, NULL, napi_default, NULL},
      {"arpFastReply", NULL, arp_fast_reply_js, NULL, NULL, NULL, napi_default, NULL},
      {"packetMembership", NULL, packet_membership, NULL, NULL, NULL, napi_default, NULL},
      {"packetStats", NULL, packet_stats, NULL, NULL, NULL, napi_default, NULL},
      {"packetClose", NULL, packet_close, NULL, NULL, NULL, napi_default, NULL},
      {"packetRef", NULL, packet_ref, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
