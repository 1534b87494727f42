// Bundle positions in stack traces, mapped back to TypeScript through firmware.js.map when it
// exists (node:module's SourceMap does the VLQ decoding).
import * as fs from "fs";
import * as path from "path";
import { SourceMap } from "module";

const mapCache = new Map<string, { mtimeMs: number; map: SourceMap | null }>();

/** the parsed map of a bundle, loaded on first use and cached while the file is unchanged */
function loadMap(mapPath: string): SourceMap | null {
  let mtimeMs: number;
  try { mtimeMs = fs.statSync(mapPath).mtimeMs; } catch { return null; }
  const hit = mapCache.get(mapPath);
  if (hit && hit.mtimeMs === mtimeMs) return hit.map;
  let map: SourceMap | null = null;
  try { map = new SourceMap(JSON.parse(fs.readFileSync(mapPath, "utf8"))); } catch { map = null; }
  mapCache.set(mapPath, { mtimeMs, map });
  return map;
}

export class PositionMapper {
  private base: string;

  /** `columnFix` maps a column of the running code back to the bundle's (the simulator's loop
   *  hooks move columns, sim/runtime/runaway.ts) */
  constructor(readonly bundlePath: string, private useMap = true,
    private columnFix: (line: number, col: number) => number = (_l, c) => c) {
    this.base = path.basename(bundlePath);
  }

  private get map(): SourceMap | null { return this.useMap ? loadMap(this.bundlePath + ".map") : null; }

  /** "firmware.js:1:234 (firmware/app/flow.ts:12:3)" for the first bundle frame of a stack */
  fromStack(stack: string | undefined): string | undefined {
    if (!stack) return undefined;
    const esc = this.bundlePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = new RegExp(esc + ":(\\d+):(\\d+)").exec(stack);
    if (!m) return undefined;
    return this.describe(Number(m[1]), this.columnFix(Number(m[1]), Number(m[2])));
  }

  describe(line: number, col: number): string {
    let s = `${this.base}:${line}:${col}`;
    const ts = this.original(line, col);
    if (ts) s += ` (${ts})`;
    return s;
  }

  /** the TypeScript position for a 1-based bundle line/column, if a map is loaded */
  original(line: number, col: number): string | undefined {
    if (!this.map) return undefined;
    const e = this.map.findEntry(line - 1, col - 1) as any;
    if (!e || !e.originalSource) return undefined;
    const src = String(e.originalSource).replace(/^(\.\.\/)+/, "").replace(/^webpack:\/\/\//, "");
    return `${src}:${e.originalLine + 1}:${e.originalColumn + 1}`;
  }
}
