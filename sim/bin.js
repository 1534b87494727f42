#!/usr/bin/env node
// npx pos-sim: runs the TypeScript CLI through tsx.
require("tsx/cjs");
const { main, reportCrash } = require("./cli.ts");
const argv = process.argv.slice(2);
main(argv).then(
  (code) => { process.exitCode = code; },
  (err) => { reportCrash(argv, err); process.exitCode = 1; },
);
