// `kubectl logs`: a container's log as the kubelet stand-in keeps it (podman's k8s-file format
// under --pod-log-dir: NS_POD_UID/CONTAINER/RESTARTS.log), with the real query options.

import { open, readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ApiError, badRequest, Reason } from './errors.js';
import { isObject, type JsonObject } from './json.js';

/** One line of podman's k8s-file log: `TIME STREAM F|P TEXT`; P marks a partial line continued by the next. */
export interface LogLine {
  readonly time: string;
  readonly text: string;
  readonly partial: boolean;
}

export function parseK8sFileLine(line: string): LogLine | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/.exec(line);
  if (m === null) return undefined;
  return { time: m[1] ?? '', partial: m[3] === 'P', text: m[4] ?? '' };
}

/** Whole lines (partials joined), each with the time of its first part. */
export function logLines(content: string): { time: string; text: string }[] {
  const out: { time: string; text: string }[] = [];
  let pending: { time: string; text: string } | undefined;
  for (const raw of content.split('\n')) {
    const l = parseK8sFileLine(raw);
    if (l === undefined) continue;
    pending = pending === undefined ? { time: l.time, text: l.text } : { time: pending.time, text: pending.text + l.text };
    if (!l.partial) {
      out.push(pending);
      pending = undefined;
    }
  }
  return out;
}

export interface LogOptions {
  readonly container: string;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines: number | undefined;
  readonly follow: boolean;
}

function nonNegative(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`${name}: Invalid value: "${v}": must be greater than or equal to 0`);
  return Number(v);
}

/** The query of a pods/log request for `pod`, with the real defaults and refusals. */
export function logOptions(pod: JsonObject, q: URLSearchParams): LogOptions {
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  const containers = (Array.isArray(spec['containers']) ? spec['containers'] : []).filter(isObject).map((c) => String(c['name'] ?? ''));
  const name = String((pod['metadata'] as JsonObject | undefined)?.['name'] ?? '');
  let container = q.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    container = containers[0] ?? '';
  } else if (!containers.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  return { container, previous: q.get('previous') === 'true', timestamps: q.get('timestamps') === 'true', tailLines: nonNegative(q, 'tailLines'), follow: q.get('follow') === 'true' };
}

export class PodLogs {
  /** `dir`: the kubelet stand-ins' --pod-log-dir; undefined when no kubelet runs (logs are then not found). */
  constructor(private readonly dir: string | undefined) {}

  private file(pod: JsonObject, o: LogOptions): string {
    const m = pod['metadata'] as JsonObject;
    const status = isObject(pod['status']) ? pod['status'] : {};
    const cs = (Array.isArray(status['containerStatuses']) ? status['containerStatuses'] : []).filter(isObject).find((c) => c['name'] === o.container);
    const restarts = typeof cs?.['restartCount'] === 'number' ? cs['restartCount'] : 0;
    const name = String(m['name']);
    if (o.previous && restarts === 0) throw badRequest(`previous terminated container "${o.container}" in pod "${name}" not found`);
    if (this.dir === undefined) throw badRequest(`container "${o.container}" in pod "${name}" is waiting to start: no kubelet serves logs on this server (--pod-log-dir)`);
    return join(this.dir, `${String(m['namespace'])}_${name}_${String(m['uid'])}`, o.container, `${o.previous ? restarts - 1 : restarts}.log`);
  }

  async serve(res: ServerResponse, pod: JsonObject, q: URLSearchParams): Promise<void> {
    const o = logOptions(pod, q);
    const path = this.file(pod, o);
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new ApiError(400, Reason.BadRequest, `container "${o.container}" in pod "${String((pod['metadata'] as JsonObject)['name'])}" is waiting to start: no log yet`);
    }
    const show = (l: { time: string; text: string }): string => `${o.timestamps ? `${l.time} ` : ''}${l.text}\n`;
    let lines = logLines(content);
    if (o.tailLines !== undefined) lines = o.tailLines === 0 ? [] : lines.slice(-o.tailLines);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write(lines.map(show).join(''));
    if (!o.follow) {
      res.end();
      return;
    }
    // follow: what is appended, until the client goes away.
    let offset = Buffer.byteLength(content);
    let carry = '';
    const timer = setInterval(() => {
      void (async () => {
        const size = (await stat(path).catch(() => undefined))?.size ?? offset;
        if (size <= offset) return;
        const fh = await open(path, 'r');
        const buf = Buffer.alloc(size - offset);
        await fh.read(buf, 0, buf.length, offset);
        await fh.close();
        offset = size;
        const text = carry + buf.toString('utf8');
        const cut = text.lastIndexOf('\n');
        carry = cut < 0 ? text : text.slice(cut + 1);
        if (cut >= 0) res.write(logLines(text.slice(0, cut)).map(show).join(''));
      })().catch(() => undefined);
    }, 200);
    res.on('close', () => clearInterval(timer));
  }
}
