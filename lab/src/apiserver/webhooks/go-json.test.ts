import { goJsonSyntaxError } from './go-json.js';
import { goQuote, quoteChar } from '../go-text.js';

describe('encoding/json syntax errors', () => {
  test.each([
    ['garbage', `invalid character 'g' looking for beginning of value`],
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{"a":1', 'unexpected end of JSON input'],
    ['{"a":"abc', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"a" 1}', `invalid character '1' after object key`],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', `invalid character '2' after array element`],
    ['{a:1}', `invalid character 'a' looking for beginning of object key string`],
    ["{'a':1}", `invalid character '\\'' looking for beginning of object key string`],
    ['{"a":tru}', `invalid character '}' in literal true (expecting 'e')`],
    ['{"a":tr', `invalid character ' ' in literal true (expecting 'u')`],
    ['{"a":nul}', `invalid character '}' in literal null (expecting 'l')`],
    ['{"a":fx}', `invalid character 'x' in literal false (expecting 'a')`],
    ['{"a":1}x', `invalid character 'x' after top-level value`],
    ['{"a":"\\q"}', `invalid character 'q' in string escape code`],
    ['{"a":"\\u12G4"}', `invalid character 'G' in \\u hexadecimal character escape`],
    ['{"a":"x\ny"}', `invalid character '\\n' in string literal`],
    ['{"a":01}', `invalid character '1' after object key:value pair`],
    ['{"a":1.}', `invalid character '}' after decimal point in numeric literal`],
    ['{"a":-}', `invalid character '}' in numeric literal`],
    ['{"a":1e}', `invalid character '}' in exponent of numeric literal`],
    ['{"a":1.', `invalid character ' ' after decimal point in numeric literal`],
    ['{\u00e9}', `invalid character 'Ã' looking for beginning of object key string`],
    ['{"a":[1,2.5e-3,true,false,null,"\\u00e9",{}],"b":{}}', undefined],
    ['{"a":1}  \n', undefined],
    ['-0.5E+2', undefined],
  ])('%j → %s', (text, expected) => {
    expect(goJsonSyntaxError(Buffer.from(text, 'utf8'))).toBe(expected);
  });
});

describe('Go quoting', () => {
  test.each([
    ['plain', '"plain"'],
    ['a"b', '"a\\"b"'],
    ['tab\there', '"tab\\there"'],
    ['bell\x07', '"bell\\a"'],
    ['nul\x00', '"nul\\x00"'],
    ['café', '"café"'],
    ['nbsp\u00a0', '"nbsp\\u00a0"'],
    ['back\\slash', '"back\\\\slash"'],
  ])('%j → %s', (s, expected) => {
    expect(goQuote(s)).toBe(expected);
  });

  test.each([
    [0x27, `'\\''`],
    [0x22, `'"'`],
    [0x61, `'a'`],
    [0x0a, `'\\n'`],
    [0x01, `'\\x01'`],
    [0x85, `'\\u0085'`],
  ])('quoteChar(%i) → %s', (b, expected) => {
    expect(quoteChar(b)).toBe(expected);
  });
});
