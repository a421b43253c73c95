/* Errors thrown into JS: syscall failures carry errno, its name, the option and the fd. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "addon.h"

static void set_string(napi_env env, napi_value obj, const char *key, const char *text) {
  napi_value v;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &v) == napi_ok) napi_set_named_property(env, obj, key, v);
}

static void set_int(napi_env env, napi_value obj, const char *key, int n) {
  napi_value v;
  if (napi_create_int32(env, n, &v) == napi_ok) napi_set_named_property(env, obj, key, v);
}

void headland_throw_errno(napi_env env, const char *syscall, const char *option, int fd, int err) {
  char text[256];
#ifdef __GLIBC__
  const char *name = strerrorname_np(err);
#else
  const char *name = NULL;
#endif
  snprintf(text, sizeof text, "%s(%s) on fd %d: %s", syscall, option, fd, strerror(err));
  napi_value message, error;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message) != napi_ok) return;
  if (napi_create_error(env, NULL, message, &error) != napi_ok) return;
  set_int(env, error, "errno", err);
  set_string(env, error, "code", name ? name : "EUNKNOWN");
  set_string(env, error, "syscall", syscall);
  set_string(env, error, "option", option);
  set_int(env, error, "fd", fd);
  napi_throw(env, error);
}

void headland_throw_type(napi_env env, const char *what) {
  char text[256];
  snprintf(text, sizeof text, "native: %s", what);
  napi_throw_type_error(env, NULL, text);
}

int headland_arg_int(napi_env env, napi_value value, const char *name, int32_t *out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number || napi_get_value_int32(env, value, out) != napi_ok) {
    char text[128];
    snprintf(text, sizeof text, "%s must be a number", name);
    headland_throw_type(env, text);
    return 0;
  }
  return 1;
}
