// Community: names for BGP community values, so advertisements can say "no-export-upstream"
// rather than "65535:65281".
import { array, object, string, type Infer } from '../schema/builder.js';
import { ageColumn, conditions, type KindInfo, type Resource } from './common.js';

export const communitySpec = object({
  communities: array(
    object({
      name: string({ minLength: 1, description: 'The alias advertisements use.' }),
      value: string({ description: 'A standard community "65000:100" or a large one "large:1:2:3".' }),
    }),
    { description: 'Named community values.' },
  ),
});
export type CommunitySpec = Infer<typeof communitySpec>;

export const communityStatus = object({ conditions });
export type CommunityStatus = Infer<typeof communityStatus>;

export type Community = Resource<'Community', CommunitySpec, CommunityStatus>;

export const communityKind: KindInfo<CommunitySpec, CommunityStatus> = {
  kind: 'Community',
  plural: 'communities',
  singular: 'community',
  shortNames: [],
  scope: 'Namespaced',
  description: 'Named BGP community values for BGPAdvertisements.',
  spec: communitySpec,
  status: communityStatus,
  printerColumns: [ageColumn],
};
