// The paper model: a strip of dot rows (width dots, 1 byte per dot for simplicity) plus a
// parallel text log (one entry per printed text row, or a marker for barcodes/QR/images/cuts)
// that the text renderer turns into golden-test text.

export type PaperEntry =
  | { kind: "text"; y: number; text: string }
  | { kind: "marker"; y: number; text: string; height: number; art?: string[] }
  | { kind: "cut"; y: number; partial: boolean };

export class Paper {
  readonly width: number;
  private rows: Uint8Array[] = [];
  /** current top of the next print line, in dot rows */
  y = 0;
  entries: PaperEntry[] = [];

  constructor(width: number) { this.width = width; }

  get height(): number { return this.y; }
  get mm(): number { return this.y / 8; }

  private row(y: number): Uint8Array {
    while (this.rows.length <= y) this.rows.push(new Uint8Array(this.width));
    return this.rows[y]!;
  }

  set(x: number, y: number, on: boolean): void {
    if (x < 0 || x >= this.width || y < 0) return;
    this.row(y)[x] = on ? 1 : 0;
  }

  get(x: number, y: number): boolean {
    return y < this.rows.length && this.rows[y]![x] === 1;
  }

  invertRect(x0: number, y0: number, w: number, h: number): void {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) this.set(x, y, !this.get(x, y));
  }

  fillRect(x0: number, y0: number, w: number, h: number): void {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) this.set(x, y, true);
  }

  advance(dots: number): void {
    this.y += dots;
    this.row(this.y > 0 ? this.y - 1 : 0);
  }

  text(line: string): void { this.entries.push({ kind: "text", y: this.y, text: line }); }

  marker(text: string, height: number, art?: string[]): void {
    this.entries.push({ kind: "marker", y: this.y, text, height, art });
  }

  cut(partial: boolean): void { this.entries.push({ kind: "cut", y: this.y, partial }); }

  /** rows as a 2D view for the PNG renderer */
  bitmapRows(): Uint8Array[] {
    this.row(this.y > 0 ? this.y - 1 : 0);
    return this.rows;
  }
}
