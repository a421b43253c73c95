// Request bodies in and JSON out: reading a body with a size cap, decoding JSON or YAML with
// errors that name the problem, and answering with an object or a Status.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, Reason, StatusError, toStatus } from './errors.js';
import type { Json } from './json.js';

const MAX_BODY = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** The body as bytes: protobuf bodies are not text. */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, Reason.BadRequest, `request body larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Decodes a body as JSON, or YAML for YAML media types; 400 naming the problem otherwise. */
export function decodeBody(text: string, media: string): Json {
  if (media !== 'application/json' && !media.endsWith('+json') && !media.includes('yaml')) {
    throw new ApiError(415, Reason.UnsupportedMediaType, `the body of the request was in an unknown format (${media}) - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  if (text.trim() === '') throw badRequest('the request body is empty: an object was expected');
  if (media.includes('yaml')) {
    try {
      return parseYaml(text) as Json;
    } catch (e) {
      throw badRequest(`the request body is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw badRequest(`the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  if (warnings.length > 0) headers['warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof StatusError) {
    if (res.headersSent) res.end();
    else sendJson(res, err.status.code, err.status);
    return;
  }
  const apiErr = err instanceof ApiError ? err : new ApiError(500, Reason.InternalError, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, apiErr.code, toStatus(apiErr));
}
