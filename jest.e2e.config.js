// End-to-end suites: real routers, network namespaces and the kernel (they need root).
// One suite at a time, since labs share the machine's network stack.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ['<rootDir>/e2e/suites/**/*.e2e.test.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
