/**
 * `npm run bench`: the benchmarks in test/bench, on the same real PostgreSQL set-up as the
 * tests (test/setup/global-setup.ts), one file at a time. They report ratios against a
 * baseline measured in the same run; they assert only that the measured thing answered right.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/test/bench/**/*.bench.ts'],
  maxWorkers: 1,
  // A full national run builds 5 million log entries and measures every operation twice: well over 10 minutes.
  testTimeout: 3 * 60 * 60 * 1000,
  reporters: ['default'],
};
