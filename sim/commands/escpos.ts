// npx pos-sim escpos <file.bin> [--png out.png] [--width 384] [--art] [--quiet]
// Prints the text rendering of any ESC/POS byte file (ours, another encoder's, or a capture).
import * as fs from "fs";
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
].join("\n");

interface Options { file: string; png?: string; width: number; scale: number; art: boolean; quiet: boolean; }

function positiveInt(name: string, v: string | undefined, max: number): number {
  if (v === undefined) throw new Error(name + " needs a value");
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new Error(name + " must be a positive integer, got '" + v + "'");
    n = n * 10 + d;
  }
  if (!v.length || n < 1 || n > max) throw new Error(name + " must be between 1 and " + max + ", got '" + v + "'");
  return n;
}

export function parseArgs(args: string[]): Options {
  const o: Options = { file: "", width: 384, scale: 1, art: false, quiet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--png") { o.png = args[++i]; if (!o.png) throw new Error("--png needs a file name"); }
    else if (a === "--width") { o.width = positiveInt("--width", args[++i], 4096); if (o.width % 8) throw new Error("--width must be a multiple of 8"); }
    else if (a === "--scale") o.scale = positiveInt("--scale", args[++i], 8);
    else if (a === "--art") o.art = true;
    else if (a === "--quiet") o.quiet = true;
    else if (a.startsWith("-")) throw new Error("unknown option " + a);
    else if (o.file) throw new Error("only one input file, got '" + o.file + "' and '" + a + "'");
    else o.file = a;
  }
  if (!o.file) throw new Error("no input file");
  return o;
}

export function run(args: string[]): number {
  if (args.includes("--help") || args.includes("-h")) { console.log(USAGE); return 0; }
  let o: Options;
  try { o = parseArgs(args); } catch (e) {
    console.error("pos-sim escpos: " + (e as Error).message + "\n" + USAGE);
    return 2;
  }
  let bytes: Buffer;
  try {
    if (fs.statSync(o.file).isDirectory()) throw new Error("is a directory");
    bytes = fs.readFileSync(o.file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EACCES" ? "permission denied" : err.message;
    console.error("pos-sim escpos: cannot read '" + o.file + "': " + why);
    return 1;
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
    try { fs.writeFileSync(o.png, renderPng(it.paper, { scale: o.scale })); }
    catch (e) {
      console.error("pos-sim escpos: cannot write '" + o.png + "': " + (e as Error).message);
      return 1;
    }
    console.error("PNG written to " + o.png);
  }
  return 0;
}
