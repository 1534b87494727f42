// Text rendering of the paper for golden tests and the CLI: one line per printed text row,
// markers for barcodes, QR codes, images and cuts; optional block art for QR codes.
import { Paper } from "./paper";

export function renderText(paper: Paper, opts?: { art?: boolean }): string {
  const out: string[] = [];
  for (const e of paper.entries) {
    if (e.kind === "text") out.push(e.text);
    else if (e.kind === "cut") out.push(e.partial ? "[PARTIAL CUT]" : "[CUT]");
    else {
      out.push(e.text);
      if (opts && opts.art && e.art) for (const a of e.art) out.push("  " + a);
    }
  }
  return out.join("\n") + (out.length ? "\n" : "");
}
