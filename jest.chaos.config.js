/** The fault-injection suite (test/chaos): the service behind TCP proxies that cut and restore. */
const base = require('./jest.config');

const integration = base.projects.find((p) => p.displayName === 'integration');

// A single-project config of its own: the integration project's setup, rooted at test/chaos.
module.exports = {
  ...integration,
  displayName: undefined,
  roots: ['<rootDir>/test/chaos'],
  testTimeout: 180000,
  maxWorkers: 1,
  reporters: base.reporters,
};
