/* The ARP fast path: a pure function that answers the one common case (a well-formed request for an IP
 * this socket owns) straight from the received bytes, so the reply leaves before any JS runs. */
#ifndef HEADLAND_ARP_FAST_H
#define HEADLAND_ARP_FAST_H

#include <stddef.h>
#include <stdint.h>

/* The reply is always an Ethernet frame padded to the 60-byte minimum, as wire/frame.ts builds it. */
#define ARP_FAST_REPLY_BYTES 60

/* What one socket answers for: its interface MAC and IPv4 addresses (host order, sorted ascending). */
struct fast_arp {
  uint8_t mac[6];
  uint32_t *ips;
  size_t n;
};

/*
 * Writes into `out` (ARP_FAST_REPLY_BYTES) the reply the TypeScript responder would send and returns
 * its length, or returns 0 for anything else (not ARP, damaged, not a request, a doubtful sender, an IP
 * not owned...): those frames go to JS, which answers or counts the drop as before.
 */
size_t arp_fast_reply(const uint8_t *frame, size_t len, const struct fast_arp *t, uint8_t *out);

/* Replaces the table with mac and n addresses given as 4 network-order bytes each; n 0 turns it off.
 * Returns 0, or -1 when memory ran out, in which case the table is left empty (answering nothing). */
int fast_arp_set(struct fast_arp *t, const uint8_t *mac, const uint8_t *ips, size_t n);

void fast_arp_clear(struct fast_arp *t);

#endif
