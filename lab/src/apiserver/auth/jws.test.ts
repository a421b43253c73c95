import { JwsParseError, parseCompactJws } from './jws.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

test('a compact JWS splits into its decoded header and payload', () => {
  expect(parseCompactJws(`${b64('{"alg":"ES256"}')}.${b64('{"iss":"x"}')}.${b64('sig')}`)).toEqual({ header: { alg: 'ES256' }, payload: { iss: 'x' } });
});

test.each([
  ['nothing', '', 'jws: expected 3 dot-separated parts, got 1'],
  ['the JSON serialization', ' {"protected":"e30"}', 'jws: JSON serialization, not the compact form'],
  ['an empty header', `.${b64('{}')}.${b64('s')}`, 'jws: the header is empty'],
  ['padding in the payload', `${b64('{}')}.e30=.${b64('s')}`, 'jws: the payload is not base64url'],
  ['a length no encoder makes (4n+1)', `${b64('{}')}.e30xx.${b64('s')}`, 'jws: the payload is not base64url'],
  ['standard base64 in the signature', `${b64('{}')}.${b64('{}')}.a/b+`, 'jws: the signature is not base64url'],
  ['a header that is a string', `${b64('"x"')}.${b64('{}')}.${b64('s')}`, 'jws: the header is not a JSON object'],
  ['a payload that is null', `${b64('{}')}.${b64('null')}.${b64('s')}`, 'jws: the payload is not a JSON object'],
  ['a truncated payload', `${b64('{}')}.${b64('{"iss":')}.${b64('s')}`, 'jws: the payload is not JSON: '],
])('parseCompactJws refuses %s', (_name, token, message) => {
  expect(() => parseCompactJws(token)).toThrow(JwsParseError);
  expect(() => parseCompactJws(token)).toThrow(message);
});
