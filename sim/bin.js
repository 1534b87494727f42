#!/usr/bin/env node
// npx pos-sim: runs the TypeScript CLI through tsx.
require("tsx/cjs");
const { main } = require("./cli.ts");
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error("pos-sim: " + (err && err.stack ? err.stack : err)); process.exitCode = 1; },
);
