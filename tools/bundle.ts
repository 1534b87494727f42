// Steps 2 and 3: rollup (a plain script, ES5, not strict) then terser (ES5, hoist_funs,
// top-level names mangled). No iife around the bundle: on Espruino a function defined inside
// another function keeps a link to its scope, and one two levels down keeps its whole scope
// chain as an array, so every factory closure would cost 3 JsVars more and every top-level
// function 1 more (measured on the ESP32 twin: idle 5,996 -> 5,382 JsVars).
// Source maps are chained tsc -> rollup -> terser so bundle positions map back to .ts.
import * as fs from "fs";
import * as path from "path";
import * as acorn from "acorn";
import { rollup, Plugin, RollupLog } from "rollup";
import { minify } from "terser";
import { EmittedModule, RawMap } from "./compile";
import { checkHelpers } from "./helpers";
import { flattenClasses } from "./flatten-classes";
import { ROOT, TSLIB_ESPRUINO, rel } from "./paths";
import { partOfType } from "./parts";
import { ROLES } from "../drivers/parts";

export interface Bundle { code: string; map: RawMap; warnings: string[] }

export class BuildError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const BOARD_ID = "\0board";
const PARTS_ID = "\0parts";

/** "@parts" for one board: each role the firmware asks for (drivers/parts.ts ROLES) bound to
 *  the factory of the board's part type in that role, from that type's descriptor
 *  (drivers/<folder>/part.spec.ts names the export of drivers/<folder>/part.ts); undefined
 *  for a role the board leaves empty. Only the board's own factories are imported, so a
 *  bundle carries no code for parts its board does not have, and no table at all. */
export function partsModule(board: { parts?: { [role: string]: { type?: unknown; bus?: unknown } }; buses?: { [id: string]: { kind?: unknown } } }): string {
  const lines: string[] = [];
  for (const role of ROLES) {
    const entry = board.parts && board.parts[role];
    const spec = entry && typeof entry.type === "string" ? partOfType(entry.type) : undefined;
    const bus = entry && typeof entry.bus === "string" && board.buses ? board.buses[entry.bus] : undefined;
    const onBus = spec && spec.factoryOnBus && bus && typeof bus.kind === "string" ? spec.factoryOnBus[bus.kind] : undefined;
    if (spec) lines.push("export { " + (onBus || spec.factory) + " as " + role + " } from " + JSON.stringify(spec.factoryFile) + ";");
    else lines.push("export var " + role + " = void 0;");
  }
  return lines.join("\n") + "\n";
}

function resolveRelative(source: string, importer: string, modules: Map<string, EmittedModule>): string | undefined {
  const base = path.resolve(path.dirname(importer), source);
  for (const cand of [base, base + ".ts", path.join(base, "index.ts")]) {
    if (modules.has(cand)) return cand;
  }
  return undefined;
}

function firmwarePlugin(modules: Map<string, EmittedModule>, board: any, problems: string[]): Plugin {
  return {
    name: "espruino-firmware",
    resolveId(source, importer) {
      if (source === "@board") return BOARD_ID;
      if (source === "@parts") return PARTS_ID;
      if (source === "tslib") return TSLIB_ESPRUINO;
      if (!importer) return path.resolve(source);
      if (importer === PARTS_ID) {
        if (modules.has(source)) return source;
        problems.push("@parts: " + rel(source) + " is not part of the TypeScript program (tools/compile.ts adds every drivers/*/part.ts)");
        return false;
      }
      if (source.startsWith(".")) {
        const found = resolveRelative(source, importer, modules);
        if (found) return found;
        problems.push(rel(importer) + ": cannot resolve import \"" + source + "\" (only .ts files of the program are bundled)");
        return false;
      }
      problems.push(rel(importer) + ": import \"" + source + "\" is not allowed: the firmware bundles only its own " +
        "sources, @board and tslib; Espruino modules (Flash, Storage, net...) are loaded with require() at run time");
      return false;
    },
    load(id) {
      // a function, not a value: the literal stays in the bundle's code (flash on the board) and
      // each call builds the object, which lives only as long as its caller keeps it
      if (id === BOARD_ID) return { code: "export default function () { return " + JSON.stringify(boardForFirmware(board), null, 1) + "; }\n", map: null };
      if (id === PARTS_ID) return { code: partsModule(board), map: null };
      if (id === TSLIB_ESPRUINO) return fs.readFileSync(id, "utf8");
      const mod = modules.get(id);
      if (!mod) {
        problems.push(rel(id) + ": not part of the TypeScript program (is it under firmware/ or drivers/?)");
        return "";
      }
      problems.push(...checkHelpers(id, mod));
      return { code: mod.code, map: mod.map as any };
    },
    renderChunk(code, chunk) {
      const out = flattenClasses(code, chunk.fileName);
      return { code: out.code, map: out.map };
    },
  };
}

/** The board as the firmware holds it: without what only people and tools read (its
 *  description, the reserved-pin notes, the module's name): bring-up builds it several times. */
export function boardForFirmware(board: any): object {
  const out: any = {};
  for (const k of Object.keys(board)) if (k !== "description" && k !== "reserved") out[k] = board[k];
  if (board.mcu) out.mcu = { espruino: board.mcu.espruino, flashSize: board.mcu.flashSize };
  return out;
}

function describeLog(log: RollupLog): string {
  const where = log.id ? rel(log.id) + ": " : "";
  return where + log.message;
}

/** Names a mangled top-level declaration must never take: Espruino's own globals of one or two
 *  characters (E, the pins D0..D39: checked on the twin for every 1-2 character name) and the
 *  two-letter words its lexer reserves ("of": `var of` is a syntax error there), plus onInit. */
export const RESERVED_GLOBALS = ["onInit", "E", "do", "if", "in", "of"].concat(Array.from({ length: 40 }, (_, i) => "D" + i));

/** top-level declarations that would overwrite an Espruino global or a reserved word */
export function clashingGlobals(code: string): string[] {
  const ast = acorn.parse(code, { ecmaVersion: 5 }) as any;
  const out: string[] = [];
  const bad = new Set(RESERVED_GLOBALS.filter((n) => n !== "onInit"));
  for (const s of ast.body) {
    const names = s.type === "FunctionDeclaration" ? [s.id.name] : s.type === "VariableDeclaration" ? s.declarations.map((d: any) => d.id.name) : [];
    for (const n of names) if (bad.has(n)) out.push(n);
  }
  return out;
}

export interface BundleOptions {
  entry: string;
  modules: Map<string, EmittedModule>;
  board: object;
  /** the output file name, written into the map's `file` */
  fileName: string;
  /** code around the bundle (the boot loader keeps its names in a function: firmware/update/loader.ts) */
  wrap?: { banner: string; footer: string };
}

export async function bundle(opts: BundleOptions): Promise<Bundle> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const build = await rollup({
    input: path.resolve(opts.entry),
    plugins: [firmwarePlugin(opts.modules, opts.board, problems)],
    treeshake: true,
    preserveEntrySignatures: false, // a boot script exports nothing: no export statement
    onwarn(log) {
      // an entry's exports are unused in a boot script: not worth a warning
      if (log.code !== "MISSING_NAME_OPTION_FOR_IIFE_EXPORT") warnings.push(describeLog(log));
    },
  }).catch((err: Error) => {
    if (!problems.length) problems.push(err.message); // ours, when present, say it better
    return undefined;
  });
  if (!build || problems.length) throw new BuildError(problems);
  const out = await build.generate({
    format: "es", // the entry exports nothing: top-level statements only
    generatedCode: "es5",
    strict: false,
    sourcemap: true,
    sourcemapExcludeSources: true,
    banner: opts.wrap ? opts.wrap.banner : undefined,
    footer: opts.wrap ? opts.wrap.footer : undefined,
  });
  await build.close();
  const chunk = out.output[0];
  const minified = await minify(chunk.code, {
    ecma: 5,
    compress: { ecma: 5, hoist_funs: true, passes: 2, inline: 1 },
    mangle: { reserved: RESERVED_GLOBALS },
    toplevel: true,
    format: { ecma: 5, comments: false, ascii_only: true }, // the espruino CLI garbles non-ASCII uploads
    sourceMap: { content: chunk.map as any, asObject: true },
  });
  if (!minified.code) throw new BuildError(["terser produced no output for " + rel(opts.entry)]);
  const clash = clashingGlobals(minified.code);
  if (clash.length) throw new BuildError([rel(opts.entry) + ": top-level names would overwrite Espruino globals: " + clash.join(", ")]);
  const map = minified.map as unknown as RawMap;
  // Sources relative to the repository root, read from dist/<board>/: same bytes on any machine.
  map.sources = map.sources.map((s) => rel(path.resolve(ROOT, s)));
  (map as any).sourceRoot = "../../";
  map.file = opts.fileName;
  delete map.sourcesContent;
  return { code: minified.code, map, warnings };
}
