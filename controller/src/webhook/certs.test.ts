import { X509Certificate } from 'node:crypto';
import { isDue, judgeTls, LIFETIME, pemCertificates, renewTls, secretDataOf, servingIssuer, servingNotAfter, tlsFromSecretData, type TlsPlan, type WebhookTls } from './certs.js';
import { webhookHosts } from './names.js';

const DAY = 24 * 60 * 60 * 1000;
const HOSTS = webhookHosts('headland-system');
const T0 = new Date('2030-01-01T00:00:00Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);
const KEEP: TlsPlan = { ca: 'keep', serving: 'keep', prune: false, reasons: [] };

let fresh: WebhookTls;
let otherCa: WebhookTls;

beforeAll(async () => {
  fresh = await renewTls(undefined, judgeTls(undefined, HOSTS, T0), HOSTS, T0);
  otherCa = await renewTls(undefined, judgeTls(undefined, HOSTS, T0), HOSTS, T0);
});

describe('a new certificate', () => {
  test('is a CA and a serving certificate for the Service it signs, valid from an hour ago', () => {
    const [ca] = pemCertificates(fresh.caBundle).map((p) => new X509Certificate(p));
    const cert = new X509Certificate(fresh.cert);
    expect(ca?.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe('DNS:headland-webhook.headland-system.svc, DNS:headland-webhook.headland-system.svc.cluster.local');
    expect(cert.checkIssued(ca!)).toBe(true);
    expect(servingIssuer(fresh)).toBe(pemCertificates(fresh.caBundle)[0]);
    expect(Date.parse(cert.validFrom)).toBe(T0.getTime() - LIFETIME.backdateMs);
    expect(servingNotAfter(fresh).getTime()).toBe(T0.getTime() + LIFETIME.servingDays * DAY);
  });

  test('is kept as it is', () => {
    expect(judgeTls(fresh, HOSTS, T0)).toEqual(KEEP);
    expect(judgeTls(fresh, HOSTS, at(334))).toEqual(KEEP);
  });

  test('round-trips through a Secret\'s data', () => {
    const data = secretDataOf(fresh);
    expect(Object.keys(data).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    expect(tlsFromSecretData(data)).toEqual(fresh);
    expect(tlsFromSecretData(undefined)).toBeUndefined();
    expect(tlsFromSecretData({ other: 'eA==' })).toBeUndefined();
  });
});

describe('judgeTls', () => {
  const with_ = (over: Partial<WebhookTls>): WebhookTls => ({ ...fresh, ...over });
  test.each<[string, () => WebhookTls | undefined, () => Date, string[], Partial<TlsPlan>]>([
    ['no Secret', () => undefined, () => T0, ['HOSTS'], { ca: 'create', serving: 'renew', reasons: ['there is no certificate yet'] }],
    ['ca.crt empty', () => with_({ caBundle: '' }), () => T0, ['HOSTS'], { ca: 'create', reasons: ['ca.crt holds no readable certificate'] }],
    ['ca.crt garbage', () => with_({ caBundle: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }), () => T0, ['HOSTS'], { ca: 'create', reasons: ['ca.crt holds no readable certificate'] }],
    ['ca.crt is the serving certificate', () => with_({ caBundle: fresh.cert }), () => T0, ['HOSTS'], { ca: 'create', reasons: ['the first certificate in ca.crt is not a CA'] }],
    ['ca.key of another CA', () => with_({ caKey: otherCa.caKey }), () => T0, ['HOSTS'], { ca: 'create', reasons: ['ca.key is not the P-256 key of the first CA in ca.crt'] }],
    ['the CA expired', () => fresh, () => at(LIFETIME.caDays + 1), ['HOSTS'], { ca: 'create' }],
    ['tls.key of another certificate', () => with_({ key: otherCa.key }), () => T0, ['HOSTS'], { ca: 'keep', serving: 'renew', reasons: ['tls.key is not the P-256 key of tls.crt: a new one is issued'] }],
    ['tls.crt signed by another CA', () => with_({ cert: otherCa.cert, key: otherCa.key }), () => T0, ['HOSTS'], { ca: 'keep', serving: 'renew', reasons: ['the certificate is not signed by a valid CA in ca.crt: a new one is issued'] }],
    ['tls.crt empty', () => with_({ cert: '' }), () => T0, ['HOSTS'], { serving: 'renew', reasons: ['tls.crt is not a certificate: a new one is issued'] }],
    ['another namespace', () => fresh, () => T0, webhookHosts('lb'), { serving: 'renew', reasons: ['the certificate is not valid for headland-webhook.lb.svc, headland-webhook.lb.svc.cluster.local: a new one is issued'] }],
    ['within 30 days of expiry', () => fresh, () => at(LIFETIME.servingDays - 29), ['HOSTS'], { ca: 'keep', serving: 'renew', reasons: ['the certificate expires on 2031-01-01: a new one is issued'] }],
    ['the serving certificate expired', () => fresh, () => at(LIFETIME.servingDays + 5), ['HOSTS'], { ca: 'keep', serving: 'renew' }],
    ['the CA within 60 days of expiry', () => fresh, () => at(LIFETIME.caDays - 59), ['HOSTS'], { ca: 'successor' }],
  ])('%s', (_what, tls, now, hosts, expected) => {
    const plan = judgeTls(tls(), hosts[0] === 'HOSTS' ? HOSTS : hosts, now());
    expect(plan).toMatchObject(expected);
    expect(isDue(plan)).toBe(true);
  });
});

describe('renewTls', () => {
  test('a due serving certificate: a new one from the same CA, the caBundle unchanged', async () => {
    const now = at(LIFETIME.servingDays - 20);
    const next = await renewTls(fresh, judgeTls(fresh, HOSTS, now), HOSTS, now);
    expect(next.caBundle).toBe(fresh.caBundle);
    expect(next.caKey).toBe(fresh.caKey);
    expect(next.cert).not.toBe(fresh.cert);
    expect(servingIssuer(next)).toBe(pemCertificates(fresh.caBundle)[0]);
    expect(judgeTls(next, HOSTS, now)).toEqual(KEEP);
  });

  test('a broken Secret: everything new', async () => {
    const broken = { ...fresh, caKey: otherCa.caKey };
    const next = await renewTls(broken, judgeTls(broken, HOSTS, T0), HOSTS, T0);
    expect(next.caBundle).not.toBe(fresh.caBundle);
    expect(judgeTls(next, HOSTS, T0)).toEqual(KEEP);
  });
});

/**
 * Eleven years of a replica checking every week (and the API server taking the caBundle the
 * check leaves): every certificate served is signed by a CA the API server has trusted for at
 * least 30 days, is valid, and is never within 30 days of its expiry after a check.
 */
test('rotation over eleven years keeps the served certificate trusted', async () => {
  let tls = fresh;
  const trustedSince = new Map<string, number>([[pemCertificates(fresh.caBundle)[0]!, T0.getTime()]]);
  const events: string[] = [];
  for (let d = 0; d <= 11 * 365; d += 7) {
    const now = at(d);
    const plan = judgeTls(tls, HOSTS, now);
    if (isDue(plan)) {
      tls = await renewTls(tls, plan, HOSTS, now);
      events.push(`day ${d}: ${plan.ca}/${plan.serving}${plan.prune ? '/prune' : ''}`);
      expect(judgeTls(tls, HOSTS, now)).toEqual(KEEP);
    }
    for (const ca of pemCertificates(tls.caBundle)) if (!trustedSince.has(ca)) trustedSince.set(ca, now.getTime());
    const issuer = servingIssuer(tls);
    expect(issuer).toBeDefined();
    const cert = new X509Certificate(tls.cert);
    expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(now.getTime());
    expect(Date.parse(cert.validTo) - now.getTime()).toBeGreaterThanOrEqual(LIFETIME.servingRenewDays * DAY);
    expect(Date.parse(new X509Certificate(issuer!).validTo)).toBeGreaterThan(now.getTime());
    const trustedFor = now.getTime() - (trustedSince.get(issuer!) ?? now.getTime());
    if (issuer !== pemCertificates(fresh.caBundle)[0]) expect(trustedFor).toBeGreaterThanOrEqual(LIFETIME.servingRenewDays * DAY);
  }
  // Yearly renewals, one successor CA ten years in, the old CA dropped once it expired.
  expect(events.filter((e) => e.includes('successor'))).toHaveLength(1);
  expect(events.filter((e) => e.includes('prune'))).toHaveLength(1);
  expect(events.filter((e) => e.endsWith('renew')).length).toBeGreaterThanOrEqual(10);
  expect(pemCertificates(tls.caBundle)).toHaveLength(1);
}, 60_000);
