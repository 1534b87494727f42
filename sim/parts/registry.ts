// Virtual parts by board part type: sim/parts/<type>.ts exporting `createPart: PartFactory`.
// Discovered by file name, so a part arriving later needs no registration. A missing module is
// a warning, not an error: the firmware then finds nothing on that bus or pin.
import * as fs from "fs";
import * as path from "path";
import type { PartFactory } from "../bus/types";

export function partModulePath(type: string): string {
  return path.join(__dirname, type + ".ts");
}

export function findPartFactory(type: string): { factory?: PartFactory; warning?: string } {
  if (!/^[a-z0-9-]+$/.test(type)) return { warning: `part type '${type}' is not a valid module name` };
  const file = partModulePath(type);
  if (!fs.existsSync(file)) return { warning: `no virtual part for type '${type}' (sim/parts/${type}.ts missing): left unconnected` };
  const mod = require(file);
  if (typeof mod.createPart !== "function") return { warning: `sim/parts/${type}.ts does not export createPart: left unconnected` };
  return { factory: mod.createPart as PartFactory };
}

export function knownPartTypes(): string[] {
  return fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts") && f !== "registry.ts" && f !== "nor-flash.ts")
    .map((f) => f.slice(0, -3)).sort();
}
