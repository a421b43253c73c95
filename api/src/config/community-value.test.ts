import { CommunityError, formatCommunity, isCommunityLiteral, parseCommunity, type CommunityValue } from './community-value.js';

test.each<[string, CommunityValue]>([
  ['0:0', { type: 'standard', asn: 0, value: 0 }],
  ['65000:100', { type: 'standard', asn: 65000, value: 100 }],
  ['65535:65535', { type: 'standard', asn: 65535, value: 65535 }],
  ['large:0:0:0', { type: 'large', global: 0, local1: 0, local2: 0 }],
  ['large:4294967295:4294967295:4294967295', { type: 'large', global: 4294967295, local1: 4294967295, local2: 4294967295 }],
  ['no-export', { type: 'standard', asn: 65535, value: 65281 }],
  ['no-advertise', { type: 'standard', asn: 65535, value: 65282 }],
  ['no-export-subconfed', { type: 'standard', asn: 65535, value: 65283 }],
  ['no-peer', { type: 'standard', asn: 65535, value: 65284 }],
  ['blackhole', { type: 'standard', asn: 65535, value: 666 }],
])('%s parses', (text, value) => {
  expect(parseCommunity(text)).toEqual(value);
});

test.each<[string, RegExp]>([
  ['65536:1', /asn 65536 is more than 65535/],
  ['1:65536', /value 65536 is more than 65535/],
  ['1', /not a community/],
  ['1:2:3', /not a community/],
  ['a:1', /asn "a" is not a decimal/],
  ['01:1', /not a decimal/],
  ['-1:1', /not a decimal/],
  [':1', /not a decimal/],
  ['large:1:2', /not a large community/],
  ['large:1:2:3:4', /not a large community/],
  ['large:4294967296:0:0', /global 4294967296 is more than 4294967295/],
  ['large:0:0:x', /local2 "x"/],
  ['No-Export', /not a community/],
])('%s is rejected', (text, message) => {
  expect(() => parseCommunity(text)).toThrow(CommunityError);
  expect(() => parseCommunity(text)).toThrow(message);
  expect(() => parseCommunity(text)).toThrow(/^community: /);
});

test.each<[string, boolean]>([
  ['65000:1', true],
  ['large:1:2:3', true],
  ['no-export', true],
  ['bogus:x', true],
  ['my-alias', false],
])('isCommunityLiteral(%s) is %s', (text, literal) => {
  expect(isCommunityLiteral(text)).toBe(literal);
});

test.each(['65000:100', 'large:1:2:3', '0:0'])('%s round-trips through formatCommunity', (text) => {
  expect(formatCommunity(parseCommunity(text))).toBe(text);
});
