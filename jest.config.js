// Unit tests across every workspace, TypeScript compiled by swc in ESM mode.
// Workspace packages resolve to their sources, so tests never need a build first.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['<rootDir>/*/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@headland/([a-z-]+)$': '<rootDir>/$1/src/index.ts',
    // The lab's parts by name (package.json "exports"): @headland/lab/kubeproxy and the like.
    // The speaker's pure parts by name (@headland/speaker/policy, /model), for the cli.
    '^@headland/speaker/election$': '<rootDir>/speaker/src/l2/election/index.ts',
    '^@headland/speaker/([a-z-]+)$': '<rootDir>/speaker/src/$1/index.ts',
    '^@headland/lab/speaker-lab$': '<rootDir>/lab/src/speaker-lab.ts',
    '^@headland/lab/([a-z-]+)$': '<rootDir>/lab/src/$1/index.ts',
    '^bgp-speaker-ts$': '<rootDir>/bgp/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
};
