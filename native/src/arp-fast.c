/*
 * The ARP fast path (arp-fast.h): the same answer as speaker/src/l2/responder/answer.ts for a plain
 * request, and no answer (0) for everything where TS would drop the frame or where in doubt.
 */
#include "arp-fast.h"
#include <stdlib.h>
#include <string.h>

#define ETH_HEADER 14
#define ARP_END (ETH_HEADER + 28)

/* Bytes 12..21 of an ARP request: EtherType ARP, hardware Ethernet, protocol IPv4, lengths 6/4, request. */
static const uint8_t REQUEST_PREFIX[10] = {0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01};
static const uint8_t BROADCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t ZERO[6] = {0};

static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int owns(const struct fast_arp *t, uint32_t ip) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->ips[mid] == ip) return 1;
    if (t->ips[mid] < ip) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

size_t arp_fast_reply(const uint8_t *f, size_t len, const struct fast_arp *t, uint8_t *out) {
  if (!t || t->n == 0 || !f || len < ARP_END) return 0;
  if (memcmp(f + 12, REQUEST_PREFIX, sizeof REQUEST_PREFIX) != 0) return 0;
  /* Sent to everyone or to us; anything else (seen only when promiscuous) is left to JS. */
  if (memcmp(f, BROADCAST, 6) != 0 && memcmp(f, t->mac, 6) != 0) return 0;
  const uint8_t *eth_source = f + 6, *sender_mac = f + 22, *sender_ip = f + 28, *target_ip = f + 38;
  /* Group senders (TS: group-sender), and zero or our own MAC as the asker: no one to answer, left to JS. */
  if ((eth_source[0] & 1) || (sender_mac[0] & 1)) return 0;
  if (memcmp(sender_mac, ZERO, 6) == 0 || memcmp(eth_source, ZERO, 6) == 0) return 0;
  if (memcmp(sender_mac, t->mac, 6) == 0 || memcmp(eth_source, t->mac, 6) == 0) return 0;
  uint32_t spa = be32(sender_ip), tpa = be32(target_ip);
  /* An RFC 5227 probe (sender 0.0.0.0) and a sender claiming our IP (TS: spoofed-sender) go to JS. */
  if (spa == 0 || owns(t, spa) || !owns(t, tpa)) return 0;
  memset(out, 0, ARP_FAST_REPLY_BYTES);
  memcpy(out, sender_mac, 6);           /* to the asker's ARP sender MAC */
  memcpy(out + 6, t->mac, 6);           /* from us */
  memcpy(out + 12, REQUEST_PREFIX, 9);  /* EtherType, htype, ptype, lengths, opcode high byte */
  out[21] = 2;                          /* reply */
  memcpy(out + 22, t->mac, 6);          /* sender MAC: ours */
  memcpy(out + 28, target_ip, 4);       /* sender IP: the one asked for */
  memcpy(out + 32, sender_mac, 6);      /* target: the asker's MAC and IP */
  memcpy(out + 38, sender_ip, 4);
  return ARP_FAST_REPLY_BYTES;
}

static int compare_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int fast_arp_set(struct fast_arp *t, const uint8_t *mac, const uint8_t *ips, size_t n) {
  uint32_t *table = NULL;
  if (n > 0) {
    table = malloc(n * sizeof *table);
    if (!table) {
      fast_arp_clear(t);
      return -1;
    }
    for (size_t i = 0; i < n; i++) table[i] = be32(ips + 4 * i);
    qsort(table, n, sizeof *table, compare_u32);
  }
  free(t->ips);
  memcpy(t->mac, mac, 6);
  t->ips = table;
  t->n = n;
  return 0;
}

void fast_arp_clear(struct fast_arp *t) {
  free(t->ips);
  t->ips = NULL;
  t->n = 0;
}
