// Bundle positions in stack traces, mapped back to TypeScript through firmware.js.map when it
// exists (node:module's SourceMap does the VLQ decoding).
import * as fs from "fs";
import * as path from "path";
import { SourceMap } from "module";

export class PositionMapper {
  private map: SourceMap | null = null;
  private base: string;

  constructor(readonly bundlePath: string, useMap = true) {
    this.base = path.basename(bundlePath);
    const mapPath = bundlePath + ".map";
    if (useMap) try {
      if (fs.existsSync(mapPath)) this.map = new SourceMap(JSON.parse(fs.readFileSync(mapPath, "utf8")));
    } catch { this.map = null; }
  }

  /** "firmware.js:1:234 (firmware/app/flow.ts:12:3)" for the first bundle frame of a stack */
  fromStack(stack: string | undefined): string | undefined {
    if (!stack) return undefined;
    const esc = this.bundlePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = new RegExp(esc + ":(\\d+):(\\d+)").exec(stack);
    if (!m) return undefined;
    return this.describe(Number(m[1]), Number(m[2]));
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
