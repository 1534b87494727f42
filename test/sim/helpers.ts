import { createWorld, type World } from "../../sim/harness";

/** a world on the default board running `source` instead of the built bundle */
export function boot(source: string, opts: { callbackCost?: number; seed?: number } = {}): World {
  return createWorld({ board: "pos-esp32-v1", source, bundle: "/virtual/test.js", ...opts });
}

/** boot, run, return console lines */
export function runJs(source: string, seconds = 1): string[] {
  const w = boot(source);
  w.run(seconds);
  return w.console;
}
