// Step 1 of the pipeline: TypeScript 5.9 -> ES5 modules, in memory, with source maps.
// Options come from tsconfig.json (target ES5, module ES2015, importHelpers); any error,
// in any file of the program, fails the build.
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { ROOT, rel } from "./paths";
import { typedDialectErrors } from "./typed-rules";
import { knownParts } from "./parts";
import { privateMangler } from "./mangle-private";

export interface RawMap { version: number; sources: string[]; names: string[]; mappings: string; file?: string; sourcesContent?: (string | null)[] }
export interface EmittedModule { code: string; map: RawMap }
export interface CompileResult {
  /** absolute .ts path -> emitted ES5 module */
  modules: Map<string, EmittedModule>;
  /** formatted TypeScript errors and typed dialect errors (typed-rules.ts); non-empty fails the build */
  errors: string[];
}

export interface CompileOptions {
  /** compile only these files (plus the Espruino declarations) instead of tsconfig's include */
  roots?: string[];
  /** extra root files on top of tsconfig's include (generated entries) */
  extraRoots?: string[];
  tsconfig?: string;
}

function readConfig(file: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(formatDiagnostics([d])); },
  });
  if (!parsed) throw new Error("cannot read " + rel(file));
  return parsed;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => "\n",
};

function formatDiagnostics(diags: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diags, formatHost).trim();
}

/** Ambient declarations the firmware needs even when compiling a subset (tests), and the part
 *  factories "@parts" may bind (nothing imports them by name: tools/bundle.ts partsModule). */
function ambientFiles(): string[] {
  const dir = path.join(ROOT, "firmware", "types");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".d.ts")).sort().map((f) => path.join(dir, f));
  files.push(path.join(ROOT, "firmware", "board-data.d.ts"));
  for (const p of knownParts()) if (files.indexOf(p.factoryFile) < 0) files.push(p.factoryFile);
  return files;
}

export function compile(opts: CompileOptions = {}): CompileResult {
  const config = readConfig(opts.tsconfig || path.join(ROOT, "tsconfig.json"));
  if (config.errors.length) return { modules: new Map(), errors: [formatDiagnostics(config.errors)] };
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    noEmitOnError: false,
    sourceMap: true,
    inlineSourceMap: false,
    inlineSources: false,
    declaration: false,
    outDir: path.join(ROOT, "build", "tsc"),
    rootDir: ROOT,
  };
  const rootNames = opts.roots
    ? opts.roots.map((f) => path.resolve(f)).concat(ambientFiles())
    : config.fileNames.concat((opts.extraRoots || []).map((f) => path.resolve(f)));
  const program = ts.createProgram({ rootNames, options });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  const modules = new Map<string, EmittedModule>();
  const pending = new Map<string, Partial<EmittedModule>>();
  const mangler = privateMangler(program);
  const emit = program.emit(undefined, (fileName, text, _bom, _onError, sourceFiles) => {
    const src = sourceFiles && sourceFiles[0];
    if (!src) return;
    const key = path.resolve(src.fileName);
    const entry = pending.get(key) || {};
    if (fileName.endsWith(".map")) {
      const map = JSON.parse(text) as RawMap;
      map.sources = [key];
      entry.map = map;
    } else if (fileName.endsWith(".js")) {
      entry.code = text.replace(/\n\/\/# sourceMappingURL=.*$/, "\n");
    }
    pending.set(key, entry);
  }, undefined, false, { before: [mangler.transformer] });
  for (const [key, m] of pending) {
    if (m.code !== undefined && m.map) modules.set(key, { code: m.code, map: m.map });
  }
  const all = diagnostics.concat(emit.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error));
  const errors = all.length ? [formatDiagnostics(all)] : [];
  return { modules, errors: errors.concat(mangler.errors, typedDialectErrors(program)) };
}
