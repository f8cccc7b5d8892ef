// Jest's default reporter without its summary: summary-reporter.js prints that summary, then its line.
module.exports = require('@jest/reporters').DefaultReporter;
