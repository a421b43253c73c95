// The default HttpGet: one GET over node:http on a fresh connection (agent: false, so a wedged
// keep-alive socket can never hold a probe), a hard timeout over connect + headers + body, and
// the body cut at maxBodyBytes. No HTTP answer is a ProbeRequestError with its reason.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { messageOf, ProbeRequestError, PROBE_FAILURE, timeoutError, type ProbeFailure } from './errors.js';
import type { HttpAnswer, HttpGet } from './types.js';

const FAILURE_BY_CODE: Readonly<Record<string, ProbeFailure>> = {
  ECONNREFUSED: PROBE_FAILURE.Refused,
  ECONNRESET: PROBE_FAILURE.Reset,
  EPIPE: PROBE_FAILURE.Reset,
  ETIMEDOUT: PROBE_FAILURE.Timeout,
};

function asProbeError(error: unknown): ProbeRequestError {
  if (error instanceof ProbeRequestError) return error;
  const err = error as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = messageOf(error);
  if (code.startsWith('HPE_')) return new ProbeRequestError(PROBE_FAILURE.Network, `answer is not HTTP: ${message}`, { cause: error });
  return new ProbeRequestError(FAILURE_BY_CODE[code] ?? PROBE_FAILURE.Network, message, { cause: error });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export const httpGet: HttpGet = (target, options) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { answer: HttpAnswer } | { error: ProbeRequestError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if ('answer' in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    const fail = (error: unknown): void => {
      const probeError = asProbeError(error);
      finish({ error: probeError });
      req.destroy();
    };
    const onAbort = (): void => fail(new ProbeRequestError(PROBE_FAILURE.Aborted, 'request given up'));

    const req = httpRequest({
      hostname: target.host,
      port: target.port,
      path: target.path,
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'headland-speaker', accept: 'application/json', connection: 'close' },
    });
    // Every error after settling (the destroy below included) lands here and is dropped.
    req.on('error', fail);
    const timer = setTimeout(() => fail(timeoutError(options.timeoutMs)), options.timeoutMs);
    if (options.signal.aborted) {
      onAbort();
      return;
    }
    options.signal.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let length = 0;
      let truncated = false;
      const answer = (): HttpAnswer => {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(res.headers)) headers[name] = headerText(value);
        return { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), truncated };
      };
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = options.maxBodyBytes - length;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          length += room;
          truncated = true;
          // Enough read: answer now and drop the rest with the connection.
          finish({ answer: answer() });
          req.destroy();
          return;
        }
        chunks.push(chunk);
        length += chunk.length;
      });
      res.on('end', () => finish({ answer: answer() }));
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(new ProbeRequestError(PROBE_FAILURE.Reset, `connection closed after ${length} bytes of the body`));
      });
    });
    req.end();
  });
