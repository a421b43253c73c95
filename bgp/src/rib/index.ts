// Per-session routing tables: what we send (Adj-RIB-Out) and what the peer sent (Adj-RIB-In).
export * from './adj-rib-out.js';
export * from './adj-rib-in.js';
