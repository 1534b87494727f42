// The paper model: a strip of dot rows (width dots, 1 byte per dot for simplicity) plus a
// parallel text log (one entry per printed text row, or a marker for barcodes/QR/images/cuts)
// that the text renderer turns into golden-test text.
// Dots are rendered lazily: the interpreter hands over draw operations (draw()), and they run
// in order only when someone looks at the dots (get, bitmapRows: PNG and image art). A
// simulated sale then costs no pixel work unless its receipt is rendered.

export type PaperEntry =
  | { kind: "text"; y: number; text: string }
  | { kind: "marker"; y: number; text: string; height: number; art?: string[] }
  | { kind: "cut"; y: number; partial: boolean };

export type DrawOp = (paper: Paper) => void;

export class Paper {
  readonly width: number;
  /** the paper length kept, in dot rows (Infinity: unbounded); output past it is dropped */
  readonly maxRows: number;
  /** dot rows fed past maxRows (not kept) */
  droppedRows = 0;
  private rows: Uint8Array[] = [];
  /** where draws past maxRows land (never stored) */
  private scratch: Uint8Array;
  /** draw operations not rendered yet, in order */
  private pending: DrawOp[] = [];
  private rendering = false;
  /** current top of the next print line, in dot rows */
  y = 0;
  entries: PaperEntry[] = [];

  constructor(width: number, maxRows = Infinity) {
    this.width = width;
    this.maxRows = maxRows;
    this.scratch = new Uint8Array(width);
  }

  /** the paper reached maxRows: later text, markers and dots are dropped */
  get full(): boolean { return this.y >= this.maxRows; }

  get height(): number { return this.y; }
  get mm(): number { return this.y / 8; }

  private row(y: number): Uint8Array {
    if (y >= this.maxRows) return this.scratch;
    while (this.rows.length <= y) this.rows.push(new Uint8Array(this.width));
    return this.rows[y]!;
  }

  /** queue dot work; it runs (with set/fillRect/invertRect) when the dots are looked at */
  draw(op: DrawOp): void { if (!this.full) this.pending.push(op); }

  /** run the queued draw operations (re-entrant calls from inside an operation are no-ops) */
  private render(): void {
    if (this.rendering || this.pending.length === 0) return;
    this.rendering = true;
    try {
      for (let i = 0; i < this.pending.length; i++) this.pending[i]!(this);
    } finally {
      this.pending = [];
      this.rendering = false;
    }
  }

  set(x: number, y: number, on: boolean): void {
    this.render();
    if (x < 0 || x >= this.width || y < 0 || y >= this.maxRows) return;
    this.row(y)[x] = on ? 1 : 0;
  }

  get(x: number, y: number): boolean {
    this.render();
    return y < this.rows.length && this.rows[y]![x] === 1;
  }

  invertRect(x0: number, y0: number, w: number, h: number): void {
    this.render();
    for (let y = y0; y < Math.min(y0 + h, this.maxRows); y++) for (let x = x0; x < x0 + w; x++) this.set(x, y, !this.get(x, y));
  }

  fillRect(x0: number, y0: number, w: number, h: number): void {
    this.render();
    if (!Number.isInteger(x0) || !Number.isInteger(w)) {
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) this.set(x, y, true);
      return;
    }
    const xa = Math.max(x0, 0), xb = Math.min(x0 + w, this.width);
    for (let y = Math.max(y0, 0), end = Math.min(y0 + h, this.maxRows); y < end; y++) {
      if (xa < xb) this.row(y).fill(1, xa, xb);
    }
  }

  advance(dots: number): void {
    const y = this.y + dots;
    if (y > this.maxRows) { this.droppedRows += y - this.maxRows; this.y = this.maxRows; } else this.y = y;
  }

  text(line: string): void { if (!this.full) this.entries.push({ kind: "text", y: this.y, text: line }); }

  marker(text: string, height: number, art?: string[]): PaperEntry {
    const e: PaperEntry = { kind: "marker", y: this.y, text, height, art };
    if (!this.full) this.entries.push(e);
    return e;
  }

  cut(partial: boolean): void { if (!this.full) this.entries.push({ kind: "cut", y: this.y, partial }); }

  /** rows as a 2D view for the PNG renderer */
  bitmapRows(): Uint8Array[] {
    this.render();
    this.row(this.y > 0 ? this.y - 1 : 0);
    return this.rows;
  }
}
