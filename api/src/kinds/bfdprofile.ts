// BFDProfile: timers for Bidirectional Forwarding Detection on BGP sessions that name it.
import { boolean, integer, object, optional, type Infer } from '../schema/builder.js';
import { ageColumn, conditions, type KindInfo, type Resource } from './common.js';

export const bfdProfileSpec = object({
  receiveInterval: optional(integer({ minimum: 10, maximum: 60000, default: 300, description: 'Minimum interval between received control packets, in milliseconds. Default 300.' })),
  transmitInterval: optional(integer({ minimum: 10, maximum: 60000, default: 300, description: 'Minimum interval between sent control packets, in milliseconds. Default 300.' })),
  detectMultiplier: optional(integer({ minimum: 2, maximum: 255, default: 3, description: 'Packets that may be lost before the session is declared down. Default 3.' })),
  minimumTtl: optional(integer({ minimum: 1, maximum: 254, default: 254, description: 'For multihop sessions, the lowest TTL accepted. Default 254.' })),
  passiveMode: optional(boolean({ default: false, description: 'Wait for the peer to start BFD rather than sending first.' })),
  echoMode: optional(boolean({ description: "MetalLB's field. Headland's BFD runs in asynchronous mode without the echo function: true is refused, false is accepted." })),
  echoInterval: optional(integer({ minimum: 10, maximum: 60000, description: "MetalLB's field, refused: there is no echo function to time." })),
});
export type BFDProfileSpec = Infer<typeof bfdProfileSpec>;

export const bfdProfileStatus = object({ conditions });
export type BFDProfileStatus = Infer<typeof bfdProfileStatus>;

export type BFDProfile = Resource<'BFDProfile', BFDProfileSpec, BFDProfileStatus>;

export const bfdProfileKind: KindInfo<BFDProfileSpec, BFDProfileStatus> = {
  kind: 'BFDProfile',
  plural: 'bfdprofiles',
  singular: 'bfdprofile',
  shortNames: ['bfdp'],
  scope: 'Namespaced',
  description: 'BFD timers for BGP sessions that name this profile.',
  spec: bfdProfileSpec,
  status: bfdProfileStatus,
  printerColumns: [
    { name: 'Receive Interval', type: 'integer', jsonPath: '.spec.receiveInterval' },
    { name: 'Transmit Interval', type: 'integer', jsonPath: '.spec.transmitInterval' },
    { name: 'Multiplier', type: 'integer', jsonPath: '.spec.detectMultiplier' },
    ageColumn,
  ],
};
