/**
 * Two projects. `unit` (test/unit) needs no service and no global setup: `npm run test:unit` runs it in
 * seconds with PostgreSQL and RabbitMQ down. `integration` (test/integration, test/e2e, test/addon) uses
 * the real PostgreSQL and RabbitMQ through the global setup in test/support. `npm test` runs both.
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
};

const unit = { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'] };

const integration = {
  ...shared,
  displayName: 'integration',
  roots: ['<rootDir>/test/integration', '<rootDir>/test/e2e', '<rootDir>/test/addon'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

// The fault-injection suite (test/chaos) is in neither: it runs on its own (npm run test:chaos, and in
// CI) and takes minutes, not seconds.
module.exports = {
  projects: [unit, integration],
  // Options jest reads only at the top level, for every project.
  testTimeout: 30000,
  maxWorkers: 2,
  // not 'default': jest would print its summary after every reporter listed, below our last line
  reporters: ['<rootDir>/test/support/default-reporter.js', '<rootDir>/test/support/summary-reporter.js'],
};
