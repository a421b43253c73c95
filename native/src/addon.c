/* Module entry: one addon, each part registers its own functions (tcp.c, packet.c, udp.c). */
#include "addon.h"

static napi_value init(napi_env env, napi_value exports) {
  if (headland_register_tcp(env, exports) != napi_ok) return NULL;
  if (headland_register_packet(env, exports) != napi_ok) return NULL;
  if (headland_register_udp(env, exports) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() {
  return init(env, exports);
}
