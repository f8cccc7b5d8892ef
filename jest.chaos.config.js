/** The fault-injection suite (test/chaos): the service behind TCP proxies that cut and restore. */
const base = require('./jest.config');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  roots: ['<rootDir>/test/chaos'],
  testTimeout: 180000,
  maxWorkers: 1,
};
