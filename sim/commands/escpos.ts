// npx pos-sim escpos <file.bin> [--png out.png] [--width 384] [--art] [--quiet]
// Prints the text rendering of any ESC/POS byte file (ours, another encoder's, or a capture).
import * as fs from "fs";
import { cliArgs, Parsed, UsageError } from "../cli-args";
import { EscPosInterpreter } from "../escpos/interpreter";
import { renderText } from "../escpos/text";
import { renderPng } from "../escpos/png";

export const summary = "render an ESC/POS byte file as text (and optionally PNG)";

const USAGE = [
  "usage: pos-sim escpos <file.bin> [--png out.png] [--width DOTS] [--scale N] [--art] [--quiet]",
  "  --png FILE   also write a PNG of the paper",
  "  --width N    dots per line (default 384 = 58 mm; 576 = 80 mm)",
  "  --scale N    PNG pixels per dot (default 1)",
  "  --art        draw QR codes as # blocks in the text",
  "  --quiet      do not list interpreter warnings",
  "Exit code: 0 rendered, 1 the PNG cannot be written, 2 bad usage or an unreadable input file.",
].join("\n");

interface Options { file: string; png?: string; width: number; scale: number; art: boolean; quiet: boolean; }

const SPEC = {
  png: { type: "string" }, width: { type: "int", min: 8, max: 4096 }, scale: { type: "int", min: 1, max: 8 },
  art: { type: "boolean" }, quiet: { type: "boolean" },
} as const;

function check(p: Parsed<typeof SPEC>): Options {
  const v = p.values;
  const o: Options = { file: p.positionals[0]!, png: v.png, width: v.width ?? 384, scale: v.scale ?? 1, art: !!v.art, quiet: !!v.quiet };
  if (o.width % 8) throw new UsageError("--width must be a multiple of 8, got '" + o.width + "'");
  if (fs.existsSync(o.file) && fs.statSync(o.file).isDirectory()) throw new UsageError("'" + o.file + "' is a directory, not a byte file");
  return o;
}

export function run(args: string[]): number {
  const p = cliArgs("pos-sim escpos", args, SPEC, USAGE, { min: 1, max: 1, name: "input file <file.bin>" }, (x) => { check(x); });
  if (typeof p === "number") return p;
  const o = check(p);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(o.file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EACCES" ? "permission denied" : err.message;
    console.error("pos-sim escpos: cannot read '" + o.file + "': " + why);
    return 2;
  }
  const it = new EscPosInterpreter({ width: o.width });
  it.run(bytes);
  it.finish();
  process.stdout.write(renderText(it.paper, { art: o.art }));
  if (!o.quiet) {
    for (const w of it.warnings) console.error("warning: " + w);
  }
  console.error(bytes.length + " bytes, " + it.paper.mm.toFixed(1) + " mm of paper, " + it.cuts + " cut(s)");
  if (o.png) {
    const warn = (m: string) => { if (!o.quiet) console.error("warning: " + m); };
    try { fs.writeFileSync(o.png, renderPng(it.paper, { scale: o.scale, warn })); }
    catch (e) {
      console.error("pos-sim escpos: cannot write '" + o.png + "': " + (e as Error).message);
      return 1;
    }
    console.error("PNG written to " + o.png);
  }
  return 0;
}
