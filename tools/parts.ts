// The part descriptors (drivers/<folder>/part.spec.ts, vocabulary in drivers/parts.ts), found
// by file name: a driver folder with a part.spec.ts is a part type, with no list to edit. Read
// by the board validator (tools/board.ts), the build ("@parts", tools/bundle.ts) and the
// simulator (sim/parts/registry.ts).
import * as fs from "fs";
import * as path from "path";
import type { PartSpec } from "../drivers/parts";
import { ROOT, rel } from "./paths";

export const DRIVERS_DIR = path.join(ROOT, "drivers");

/** A descriptor with where it came from. */
export interface KnownPart extends PartSpec {
  /** drivers/<folder>/part.spec.ts */
  specFile: string;
  /** drivers/<folder>/part.ts: exports the factory */
  factoryFile: string;
}

let cache: KnownPart[] | null = null;

/** Every descriptor, by folder then declaration order. Throws on a malformed descriptor or a
 *  type declared twice (a programming error, not a board error). */
export function knownParts(): KnownPart[] {
  if (cache) return cache;
  const out: KnownPart[] = [];
  for (const folder of fs.readdirSync(DRIVERS_DIR).sort()) {
    const specFile = path.join(DRIVERS_DIR, folder, "part.spec.ts");
    if (!fs.existsSync(specFile)) continue;
    const factoryFile = path.join(DRIVERS_DIR, folder, "part.ts");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(specFile) as { parts?: PartSpec[] };
    if (!Array.isArray(mod.parts) || !mod.parts.length) throw new Error(rel(specFile) + ": exports no `parts` list");
    for (const p of mod.parts) {
      if (!p || typeof p.type !== "string" || !/^[a-z0-9-]+$/.test(p.type)) throw new Error(rel(specFile) + ": a part type must be lower-case letters, digits and '-'");
      const dup = out.find((o) => o.type === p.type);
      if (dup) throw new Error(rel(specFile) + ": part type \"" + p.type + "\" is already declared by " + rel(dup.specFile));
      out.push({ ...p, specFile, factoryFile });
    }
  }
  cache = out;
  return out;
}

export function partOfType(type: string): KnownPart | undefined {
  return knownParts().find((p) => p.type === type);
}

export function partTypes(): string[] {
  return knownParts().map((p) => p.type);
}
