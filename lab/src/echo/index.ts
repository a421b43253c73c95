// Echo pods: a server that answers each connection with one JSON line naming the pod and the
// client address it saw, and the reader for that line.

export { startEcho, type EchoOptions, type EchoServer } from './server.js';
export { EchoError, formatReply, parseReply, formatEndpoint, hostOf, type EchoReply } from './reply.js';
