/* Other platforms: the addon loads but offers nothing; the TS wrapper reports "not supported". */
#include "addon.h"

napi_status headland_register_tcp(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
  return napi_ok;
}

napi_status headland_register_packet(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
  return napi_ok;
}

napi_status headland_register_udp(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
  return napi_ok;
}
