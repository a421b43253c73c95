// encoding/json's syntax check (checkValid) over raw bytes, reporting the first error in Go's words,
// because a webhook's broken JSON reaches the client inside the "failed calling webhook" message.

import { quoteChar } from '../go-text.js';

type Step = (c: number) => Step | 'error';

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** The scanner of encoding/json/scanner.go: one step function per state, a stack of open containers. */
class Scanner {
  private readonly stack: ('objectKey' | 'objectValue' | 'arrayValue')[] = [];
  private endTop = false;
  error = '';

  private fail(c: number, context: string): 'error' {
    this.error = `invalid character ${quoteChar(c)} ${context}`;
    return 'error';
  }

  private pop(): Step {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.endTop = true;
      return this.stateEndTop;
    }
    return this.stateEndValue;
  }

  readonly stateBeginValue: Step = (c) => {
    if (isSpace(c)) return this.stateBeginValue;
    switch (c) {
      case 0x7b: // {
        this.stack.push('objectKey');
        return this.stateBeginStringOrEmpty;
      case 0x5b: // [
        this.stack.push('arrayValue');
        return this.stateBeginValueOrEmpty;
      case 0x22:
        return this.stateInString;
      case 0x2d:
        return this.stateNeg;
      case 0x30:
        return this.state0;
      case 0x74:
        return this.literal('true', 1);
      case 0x66:
        return this.literal('false', 1);
      case 0x6e:
        return this.literal('null', 1);
    }
    if (c >= 0x31 && c <= 0x39) return this.state1;
    return this.fail(c, 'looking for beginning of value');
  };

  private readonly stateBeginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return this.stateBeginValueOrEmpty;
    if (c === 0x5d) return this.stateEndValue(c);
    return this.stateBeginValue(c);
  };

  private readonly stateBeginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return this.stateBeginStringOrEmpty;
    if (c === 0x7d) {
      this.stack[this.stack.length - 1] = 'objectValue';
      return this.stateEndValue(c);
    }
    return this.stateBeginString(c);
  };

  private readonly stateBeginString: Step = (c) => {
    if (isSpace(c)) return this.stateBeginString;
    if (c === 0x22) return this.stateInString;
    return this.fail(c, 'looking for beginning of object key string');
  };

  private readonly stateEndValue: Step = (c) => {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.endTop = true;
      return this.stateEndTop(c);
    }
    if (isSpace(c)) return this.stateEndValue;
    switch (top) {
      case 'objectKey':
        if (c === 0x3a) {
          this.stack[this.stack.length - 1] = 'objectValue';
          return this.stateBeginValue;
        }
        return this.fail(c, 'after object key');
      case 'objectValue':
        if (c === 0x2c) {
          this.stack[this.stack.length - 1] = 'objectKey';
          return this.stateBeginString;
        }
        if (c === 0x7d) return this.pop();
        return this.fail(c, 'after object key:value pair');
      case 'arrayValue':
        if (c === 0x2c) return this.stateBeginValue;
        if (c === 0x5d) return this.pop();
        return this.fail(c, 'after array element');
    }
  };

  private readonly stateEndTop: Step = (c) => (isSpace(c) ? this.stateEndTop : this.fail(c, 'after top-level value'));

  private readonly stateInString: Step = (c) => {
    if (c === 0x22) return this.stateEndValue;
    if (c === 0x5c) return this.stateInStringEsc;
    if (c < 0x20) return this.fail(c, 'in string literal');
    return this.stateInString;
  };

  private readonly stateInStringEsc: Step = (c) => {
    if ([0x62, 0x66, 0x6e, 0x72, 0x74, 0x5c, 0x2f, 0x22].includes(c)) return this.stateInString;
    if (c === 0x75) return this.hexDigits(4);
    return this.fail(c, 'in string escape code');
  };

  private hexDigits(left: number): Step {
    return (c) => {
      if (!isHex(c)) return this.fail(c, 'in \\u hexadecimal character escape');
      return left === 1 ? this.stateInString : this.hexDigits(left - 1);
    };
  }

  private readonly stateNeg: Step = (c) => {
    if (c === 0x30) return this.state0;
    if (c >= 0x31 && c <= 0x39) return this.state1;
    return this.fail(c, 'in numeric literal');
  };

  private readonly state1: Step = (c) => (isDigit(c) ? this.state1 : this.state0(c));

  private readonly state0: Step = (c) => {
    if (c === 0x2e) return this.stateDot;
    if (c === 0x65 || c === 0x45) return this.stateE;
    return this.stateEndValue(c);
  };

  private readonly stateDot: Step = (c) => (isDigit(c) ? this.stateDot0 : this.fail(c, 'after decimal point in numeric literal'));

  private readonly stateDot0: Step = (c) => {
    if (isDigit(c)) return this.stateDot0;
    if (c === 0x65 || c === 0x45) return this.stateE;
    return this.stateEndValue(c);
  };

  private readonly stateE: Step = (c) => (c === 0x2b || c === 0x2d ? this.stateESign : this.stateESign(c));

  private readonly stateESign: Step = (c) => (isDigit(c) ? this.stateE0 : this.fail(c, 'in exponent of numeric literal'));

  private readonly stateE0: Step = (c) => (isDigit(c) ? this.stateE0 : this.stateEndValue(c));

  private literal(word: string, at: number): Step {
    return (c) => {
      const want = word.charCodeAt(at);
      if (c !== want) return this.fail(c, `in literal ${word} (expecting ${quoteChar(want)})`);
      return at === word.length - 1 ? this.stateEndValue : this.literal(word, at + 1);
    };
  }

  /** Runs the whole input; at the end a space is stepped, as scanner.eof does (so a cut-off literal reports ' '). */
  run(data: Uint8Array): string | undefined {
    let step: Step = this.stateBeginValue;
    for (const c of data) {
      const next = step(c);
      if (next === 'error') return this.error;
      step = next;
    }
    if (this.endTop) return undefined;
    if (step(0x20) === 'error') return this.error;
    return this.endTop ? undefined : 'unexpected end of JSON input';
  }
}

/** undefined when `data` is valid JSON; otherwise the error json.Unmarshal reports. */
export function goJsonSyntaxError(data: Uint8Array): string | undefined {
  return new Scanner().run(data);
}
