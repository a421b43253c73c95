// PacketResponder behind the port L2 mode talks to (l2/responder-port.ts): "answer for exactly
// these IPs on these interfaces", with "no interfaces given" meaning every suitable Ethernet one.

import { readdirSync, readFileSync } from 'node:fs';
import { formatIP, parseIP } from '@headland/api';
import type { AnsweredIP } from '../ownership.js';
import type { L2Responder, ResponderCounters } from '../responder-port.js';
import { PacketResponder, type ResponderOptions } from './responder.js';

/** Interfaces CNIs and container runtimes make: never where a LoadBalancer IP is answered. */
const NOT_FOR_ANSWERS = /^(lo|veth|cni|cali|flannel|cilium|lxc|docker|kube-|vxlan|tunl|weave|virbr|tap|tun|br-)/;

/**
 * Every interface that is up, Ethernet (ARPHRD 1) and not a CNI/container one, from /sys/class/net.
 * Physical NICs, bonds and VLANs qualify; bridges named br-* and veths do not.
 */
export function answerableInterfaces(sysClassNet = '/sys/class/net'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(sysClassNet)) {
    if (NOT_FOR_ANSWERS.test(name)) continue;
    try {
      const type = readFileSync(`${sysClassNet}/${name}/type`, 'utf8').trim();
      const state = readFileSync(`${sysClassNet}/${name}/operstate`, 'utf8').trim();
      if (type === '1' && (state === 'up' || state === 'unknown')) out.push(name);
    } catch {
      // Gone while we looked: not answerable.
    }
  }
  return out.sort();
}

export interface ResponderPortOptions extends ResponderOptions {
  /** The interfaces used when an answer names none (default: answerableInterfaces()). */
  readonly defaultInterfaces?: () => readonly string[];
}

const key = (iface: string, ip: string): string => `${iface} ${ip}`;

export class PacketResponderPort implements L2Responder {
  private readonly responder: PacketResponder;
  private readonly defaultInterfaces: () => readonly string[];
  private current = new Set<string>();

  constructor(options: ResponderPortOptions = {}) {
    this.responder = new PacketResponder(options);
    this.defaultInterfaces = options.defaultInterfaces ?? (() => answerableInterfaces());
  }

  setAnswers(answers: readonly AnsweredIP[], announce: readonly string[]): void {
    const wanted = new Map<string, [string, string]>();
    let defaults: readonly string[] | undefined;
    for (const a of answers) {
      const ip = formatIP(parseIP(a.ip));
      for (const iface of a.interfaces ?? (defaults ??= this.defaultInterfaces())) wanted.set(key(iface, ip), [iface, ip]);
    }
    const again = new Set(announce.map((ip) => formatIP(parseIP(ip))));
    const held = new Set<string>();
    const failures: unknown[] = [];
    // One fast-path table update per interface for the whole change, not one per IP.
    this.responder.batch(() => {
      for (const k of this.current) {
        if (wanted.has(k)) continue;
        const [iface, ip] = k.split(' ') as [string, string];
        this.responder.disown(iface, ip);
      }
      for (const [k, [iface, ip]] of wanted) {
        try {
          // own() announces what is new to this node; an IP already held but won again is re-announced.
          if (!this.current.has(k)) this.responder.own(iface, ip);
          else if (again.has(ip)) this.responder.reannounce(iface, ip);
          held.add(k);
        } catch (error) {
          failures.push(error);
        }
      }
    });
    // Only what really answers counts as held, so the next setAnswers tries the failed ones again.
    // The first failure is thrown as it came (a NativeError names the interface and errno) once
    // everything else has been applied.
    this.current = held;
    if (failures.length > 0) throw failures[0];
  }

  counters(): ResponderCounters {
    const c = this.responder.counters();
    return {
      requestsReceived: c.received.arp + c.received.ndp,
      repliesSent: c.replies.arp + c.replies.ndp,
      gratuitousSent: c.gratuitous.arp + c.gratuitous.ndp,
      dropped: c.dropped,
    };
  }

  /** The full counters (per protocol, send failures, kernel drops) for metrics that want them. */
  detailedCounters() {
    return this.responder.counters();
  }

  async stop(): Promise<void> {
    this.responder.close();
    this.current.clear();
  }
}
