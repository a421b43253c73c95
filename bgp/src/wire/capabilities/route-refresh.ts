// Route refresh capabilities, all without a value: RFC 2918 (code 2), the pre-standard
// Cisco code 128 that FRR and others still send, and enhanced route refresh (code 70, RFC 7313).
//
//   (empty value field)

import { emptyCapability } from './types.js';

export const routeRefresh = emptyCapability('route-refresh', 2, 'route refresh capability');
export const routeRefreshCisco = emptyCapability('route-refresh-cisco', 128, 'cisco route refresh capability');
export const enhancedRouteRefresh = emptyCapability('enhanced-route-refresh', 70, 'enhanced route refresh capability');
