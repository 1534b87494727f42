// Part factories by type for tests that build parts without a bundle: what "@parts" binds for a
// board (tools/bundle.ts), looked up here from the same descriptors (tools/parts.ts).
import { partOfType } from "../../tools/parts";

export function factoryOf(type: string): any {
  const spec = partOfType(type);
  if (!spec) throw new Error("no descriptor for part type " + type);
  const f = require(spec.factoryFile)[spec.factory];
  if (typeof f !== "function") throw new Error(spec.factoryFile + " does not export " + spec.factory);
  return f;
}

/** The factories "@parts" would bind for these parts, by role. */
export function factoriesFor(parts: { [role: string]: { type: string } }): { [role: string]: any } {
  const out: { [role: string]: any } = {};
  for (const role of Object.keys(parts)) out[role] = factoryOf(parts[role]!.type);
  return out;
}
