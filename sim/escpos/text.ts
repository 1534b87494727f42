// Text rendering of the paper for golden tests and the CLI: one line per printed text row,
// markers for barcodes, QR codes, images and cuts; optional block art (QR modules, and
// images at one character per 8x16 dots: '#' mostly black, '+' some black).
import { Paper } from "./paper";

const CELL_W = 8, CELL_H = 16;

function imageArt(paper: Paper, y0: number, height: number): string[] {
  const out: string[] = [];
  for (let y = y0; y < y0 + height; y += CELL_H) {
    let line = "";
    for (let x = 0; x < paper.width; x += CELL_W) {
      let n = 0;
      for (let dy = 0; dy < CELL_H && y + dy < y0 + height; dy++) for (let dx = 0; dx < CELL_W; dx++) if (paper.get(x + dx, y + dy)) n++;
      line += n * 2 >= CELL_W * CELL_H ? "#" : n > 0 ? "+" : " ";
    }
    out.push(line.replace(/ +$/, ""));
  }
  return out;
}

export function renderText(paper: Paper, opts?: { art?: boolean }): string {
  const out: string[] = [];
  const art = !!(opts && opts.art);
  for (const e of paper.entries) {
    if (e.kind === "text") out.push(e.text);
    else if (e.kind === "cut") out.push(e.partial ? "[PARTIAL CUT]" : "[CUT]");
    else {
      out.push(e.text);
      if (!art) continue;
      if (e.art) for (const a of e.art) out.push("  " + a);
      else if (e.text.startsWith("[IMAGE ")) for (const a of imageArt(paper, e.y, e.height)) out.push(a ? "  " + a : "");
    }
  }
  return out.join("\n") + (out.length ? "\n" : "");
}
