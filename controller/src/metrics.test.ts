import { ControllerMetrics } from './metrics.js';

test('pool gauges follow usage per family and forget removed pools', async () => {
  const m = new ControllerMetrics();
  m.setUsage(new Map([['blue', { 4: { assigned: 2n, available: 254n, total: 256n }, 6: { assigned: 0n, available: 2n ** 64n, total: 2n ** 64n } }]]));
  let text = await m.registry.metrics();
  expect(text).toMatch(/headland_controller_pool_addresses_in_use\{pool="blue",family="ipv4"\} 2/);
  expect(text).toMatch(/headland_controller_pool_addresses_available\{pool="blue",family="ipv6"\} 18446744073709552000/);
  m.setUsage(new Map());
  text = await m.registry.metrics();
  expect(text).not.toMatch(/pool="blue"/);
});

test('two controllers in one process keep separate registries', () => {
  expect(() => {
    new ControllerMetrics();
    new ControllerMetrics();
  }).not.toThrow();
});

test('unannounced Services are counted when scraped, 0 until the informers have listed', async () => {
  const m = new ControllerMetrics();
  expect(await m.registry.metrics()).toContain('headland_controller_services_unannounced 0');
  let n = 3;
  m.unannouncedServices = () => n;
  expect(await m.registry.metrics()).toContain('headland_controller_services_unannounced 3');
  n = 0;
  expect(await m.registry.metrics()).toContain('headland_controller_services_unannounced 0');
});
