// Extended Message capability (code 6), RFC 8654 §3: no value; once both sides send it,
// UPDATE, NOTIFICATION and ROUTE-REFRESH may be up to 65535 octets.
//
//   (empty value field)

import { emptyCapability } from './types.js';

export const extendedMessage = emptyCapability('extended-message', 6, 'extended message capability');
