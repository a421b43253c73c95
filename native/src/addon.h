/* Shared between the addon's parts: each registers its functions on the exports object. */
#ifndef HEADLAND_ADDON_H
#define HEADLAND_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>

/* Adds the TCP option functions (MD5, TTL, min TTL, socket/bind/close) to exports. */
napi_status headland_register_tcp(napi_env env, napi_value exports);

/* Adds the AF_PACKET functions (interface info, open/send/membership/stats/close) to exports. */
napi_status headland_register_packet(napi_env env, napi_value exports);

/* Adds the UDP functions that report the received TTL / hop limit (open/send/close) to exports. */
napi_status headland_register_udp(napi_env env, napi_value exports);

/*
 * Throws a JS Error for a failed syscall: message "SYSCALL(OPTION) on fd FD: strerror", and the
 * properties errno (number), code ("EPERM"...), syscall, option and fd, which the TS side wraps.
 */
void headland_throw_errno(napi_env env, const char *syscall, const char *option, int fd, int err);

/* Throws a TypeError "native: WHAT"; for arguments the TS wrapper should have caught. */
void headland_throw_type(napi_env env, const char *what);

/* Reads argument i as an int32; throws and returns 0 when it is not a number. */
int headland_arg_int(napi_env env, napi_value value, const char *name, int32_t *out);

#define HEADLAND_CALL(env, call)                                         \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error((env), NULL, "native: N-API call failed: " #call); \
      return NULL;                                                       \
    }                                                                    \
  } while (0)

#endif
