// The Events a speaker puts on a Service: when its node starts announcing it and when it stops,
// with where to (prefixes, peers, weight) or why not, so `kubectl describe service` tells the story.
import type { StatusContent } from './service-status.js';

export const SPEAKER_EVENT = { Announced: 'BGPAnnounced', Withdrawn: 'BGPWithdrawn' } as const;
export type SpeakerEventReason = (typeof SPEAKER_EVENT)[keyof typeof SPEAKER_EVENT];

export interface ServiceEvent {
  readonly type: 'Normal';
  readonly reason: SpeakerEventReason;
  readonly message: string;
}

/**
 * The Event for a Service whose announcement on `node` may have changed; undefined when it
 * did not start or stop. `why` explains a stop (the policy's verdict for the Service).
 */
export function announcementEvent(node: string, wasAnnounced: boolean, now: StatusContent | undefined, why: string | undefined): ServiceEvent | undefined {
  if (now !== undefined && !wasAnnounced) {
    const prefixes = now.prefixes.map((p) => p.prefix).join(', ');
    const weight = now.weight === undefined ? '' : ` with weight ${now.weight}`;
    return { type: 'Normal', reason: SPEAKER_EVENT.Announced, message: `node ${node} announces ${prefixes} to ${now.peers.join(', ')}${weight}` };
  }
  if (now === undefined && wasAnnounced) {
    return { type: 'Normal', reason: SPEAKER_EVENT.Withdrawn, message: `node ${node} stopped announcing: ${why ?? 'the Service is gone'}` };
  }
  return undefined;
}
