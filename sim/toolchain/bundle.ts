// Steps 2 and 3: rollup (iife, ES5 wrapper, not strict) then terser (ES5, hoist_funs).
// Source maps are chained tsc -> rollup -> terser so bundle positions map back to .ts.
import * as fs from "fs";
import * as path from "path";
import { rollup, Plugin, RollupLog } from "rollup";
import { minify } from "terser";
import { EmittedModule, RawMap } from "./compile";
import { checkHelpers } from "./helpers";
import { flattenClasses } from "./flatten-classes";
import { ROOT, TSLIB_ESPRUINO, rel } from "./paths";

export interface Bundle { code: string; map: RawMap; warnings: string[] }

export class BuildError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const BOARD_ID = "\0board";

function resolveRelative(source: string, importer: string, modules: Map<string, EmittedModule>): string | undefined {
  const base = path.resolve(path.dirname(importer), source);
  for (const cand of [base, base + ".ts", path.join(base, "index.ts")]) {
    if (modules.has(cand)) return cand;
  }
  return undefined;
}

function firmwarePlugin(modules: Map<string, EmittedModule>, board: object, problems: string[]): Plugin {
  return {
    name: "espruino-firmware",
    resolveId(source, importer) {
      if (source === "@board") return BOARD_ID;
      if (source === "tslib") return TSLIB_ESPRUINO;
      if (!importer) return path.resolve(source);
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
      if (id === BOARD_ID) return { code: "export default " + JSON.stringify(board, null, 1) + ";\n", map: null };
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

function describeLog(log: RollupLog): string {
  const where = log.id ? rel(log.id) + ": " : "";
  return where + log.message;
}

export interface BundleOptions {
  entry: string;
  modules: Map<string, EmittedModule>;
  board: object;
  /** the output file name, written into the map's `file` */
  fileName: string;
}

export async function bundle(opts: BundleOptions): Promise<Bundle> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const build = await rollup({
    input: path.resolve(opts.entry),
    plugins: [firmwarePlugin(opts.modules, opts.board, problems)],
    treeshake: true,
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
    format: "iife",
    generatedCode: "es5",
    strict: false,
    sourcemap: true,
    sourcemapExcludeSources: true,
  });
  await build.close();
  const chunk = out.output[0];
  const minified = await minify(chunk.code, {
    ecma: 5,
    compress: { ecma: 5, hoist_funs: true, passes: 2, inline: 1 },
    mangle: { reserved: ["onInit"] },
    format: { ecma: 5, comments: false, ascii_only: true }, // the espruino CLI garbles non-ASCII uploads
    sourceMap: { content: chunk.map as any, asObject: true },
  });
  if (!minified.code) throw new BuildError(["terser produced no output for " + rel(opts.entry)]);
  const map = minified.map as unknown as RawMap;
  // Sources relative to the repository root, read from dist/<board>/: same bytes on any machine.
  map.sources = map.sources.map((s) => rel(path.resolve(ROOT, s)));
  (map as any).sourceRoot = "../../";
  map.file = opts.fileName;
  delete map.sourcesContent;
  return { code: minified.code, map, warnings };
}
