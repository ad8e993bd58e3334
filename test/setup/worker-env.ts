// Runs in every worker before its test file: the environment tests see.
process.env.NODE_ENV = 'test';
if (!process.env.TEST_DATABASE_URL) {
  throw new Error('TEST_DATABASE_URL is not set: run the tests through `npm test` (jest globalSetup provides it).');
}
