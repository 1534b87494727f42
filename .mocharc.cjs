// mocha runs the TypeScript tests through tsx; system tests boot dist/ bundles built by `make build`.
module.exports = {
  spec: ['test/**/*.test.ts'],
  require: ['tsx/cjs', 'test/support/hooks.ts'],
  timeout: 120000,
  reporter: 'test/support/reporter.js',
};
