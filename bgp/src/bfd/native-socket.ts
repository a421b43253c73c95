// The BFD transport's sockets on Linux: @headland/native's UdpSocket, which reads the received
// TTL / hop limit and destination address from recvmsg's control messages (dgram cannot).

import { UdpSocket } from '@headland/native';
import type { BfdSocketFactory } from './transport.js';

/** Throws NativeSyscallError (code "EADDRINUSE" when the port is taken) or NativeUnsupportedError off Linux. */
export const nativeBfdSockets: BfdSocketFactory = (options) => {
  const socket = UdpSocket.open({
    address: options.address,
    port: options.port,
    ttl: options.ttl,
    reuseAddress: options.reuseAddress,
    onDatagram: (d) => options.onDatagram({ data: d.data, sourceAddress: d.address, sourcePort: d.port, ttl: d.ttl, localAddress: d.localAddress }),
    onError: options.onError,
  });
  return {
    send: (data, address, port) => socket.send(data, address, port),
    close: () => socket.close(),
  };
};
