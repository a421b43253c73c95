// Child process for the replies/s figure, run in the client namespace: sends ARP requests for the
// service IP as fast as the socket takes them for a while and counts the replies that come back.
// argv: JSON { interface, mac, ip, target, seconds }; prints one JSON line { sent, replies, seconds }.

import { PacketSocket } from '@headland/native';
import { encodeArpFrame } from '@headland/speaker';

const o = JSON.parse(process.argv[2] ?? '{}') as { interface: string; mac: string; ip: string; target: string; seconds: number };
const request = encodeArpFrame(
  { destination: 'ff:ff:ff:ff:ff:ff', source: o.mac },
  { operation: 1, senderMac: o.mac, senderIp: o.ip, targetMac: '00:00:00:00:00:00', targetIp: o.target },
);
// Replies from the target: EtherType ARP, operation 2, sender IP = target (bytes 28..31).
const target = o.target.split('.').map(Number);
let replies = 0;
const socket = PacketSocket.open({
  interface: o.interface,
  protocols: ['arp'],
  onFrame: (f) => {
    if (f[21] === 2 && f[28] === target[0] && f[29] === target[1] && f[30] === target[2] && f[31] === target[3]) replies++;
  },
});
let sent = 0;
let refused = 0;
const started = process.hrtime.bigint();
const endAt = started + BigInt(Math.round(o.seconds * 1e9));
const burst = (): void => {
  for (let i = 0; i < 32; i++) {
    if (socket.send(request)) sent++;
    else refused++;
  }
  if (process.hrtime.bigint() < endAt) setImmediate(burst);
  else setTimeout(finish, 200); // the last replies in flight
};
const finish = (): void => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9 - 0.2;
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent, refused, replies, seconds })}\n`);
};
burst();
