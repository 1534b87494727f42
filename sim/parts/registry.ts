// Virtual parts by board part type. The type's descriptor (drivers/<folder>/part.spec.ts, found
// by tools/parts.ts as the validator and the build find it) names the virtual part standing
// in for it: sim/parts/<virtual>.ts exporting `createPart: PartFactory` (default: the type's
// own name), so one virtual part may serve several models; the model's fixed properties
// (descriptor `model`: a printer's dots, columns and speed) come with the board entry. A type
// without a descriptor or a virtual part is a warning, not an error: the firmware then finds
// nothing on that bus or pin.
import * as fs from "fs";
import * as path from "path";
import type { PartFactory } from "../bus/types";
import { knownParts, partOfType } from "../../tools/parts";

export function partModulePath(name: string): string {
  return path.join(__dirname, name + ".ts");
}

export function findPartFactory(type: string): { factory?: PartFactory; warning?: string } {
  const spec = partOfType(type);
  if (!spec) return { warning: `unknown part type '${type}' (no drivers/*/part.spec.ts declares it): left unconnected` };
  const name = spec.virtual || spec.type;
  const file = partModulePath(name);
  if (!fs.existsSync(file)) return { warning: `no virtual part for type '${type}' (sim/parts/${name}.ts missing): left unconnected` };
  const mod = require(file);
  if (typeof mod.createPart !== "function") return { warning: `sim/parts/${name}.ts does not export createPart: left unconnected` };
  const create = mod.createPart as PartFactory;
  const model = spec.model;
  if (!model) return { factory: create };
  return { factory: (role, entry, ctx) => create(role, { ...entry, ...model }, ctx) };
}

/** Part types the simulator can stand in for. */
export function knownPartTypes(): string[] {
  return knownParts().filter((p) => fs.existsSync(partModulePath(p.virtual || p.type))).map((p) => p.type).sort();
}
