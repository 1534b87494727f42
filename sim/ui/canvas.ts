// A character-cell canvas with one style per cell, and a renderer that turns successive
// frames into the few ANSI writes needed to update a terminal.

export interface Style { fg?: number; bg?: number; bold?: boolean; inverse?: boolean; dim?: boolean; }

const PLAIN: Style = {};

function styleKey(s: Style): string {
  return `${s.fg ?? ""},${s.bg ?? ""},${s.bold ? 1 : 0}${s.inverse ? 1 : 0}${s.dim ? 1 : 0}`;
}

function sgr(s: Style): string {
  const codes = ["0"];
  if (s.bold) codes.push("1");
  if (s.dim) codes.push("2");
  if (s.inverse) codes.push("7");
  if (s.fg !== undefined) codes.push(`38;5;${s.fg}`);
  if (s.bg !== undefined) codes.push(`48;5;${s.bg}`);
  return `\x1b[${codes.join(";")}m`;
}

export class Canvas {
  readonly chars: string[][];
  readonly styles: Style[][];
  constructor(readonly width: number, readonly height: number) {
    this.chars = Array.from({ length: height }, () => new Array<string>(width).fill(" "));
    this.styles = Array.from({ length: height }, () => new Array<Style>(width).fill(PLAIN));
  }

  /** writes text at (x, y), clipped to the canvas and to maxWidth; returns the width written */
  text(x: number, y: number, s: string, style: Style = PLAIN, maxWidth = Infinity): number {
    if (y < 0 || y >= this.height) return 0;
    const chars = Array.from(s);
    let n = 0;
    for (let i = 0; i < chars.length && n < maxWidth; i++, n++) {
      const cx = x + i;
      if (cx < 0) continue;
      if (cx >= this.width) break;
      this.chars[y]![cx] = chars[i]!;
      this.styles[y]![cx] = style;
    }
    return n;
  }

  fill(x: number, y: number, w: number, h: number, ch = " ", style: Style = PLAIN): void {
    for (let r = y; r < y + h; r++) this.text(x, r, ch.repeat(Math.max(0, w)), style);
  }

  /** a box with a title in its top border */
  box(x: number, y: number, w: number, h: number, title = "", style: Style = { fg: 244 }): void {
    if (w < 2 || h < 2) return;
    this.text(x, y, "┌" + "─".repeat(w - 2) + "┐", style);
    for (let r = y + 1; r < y + h - 1; r++) {
      this.text(x, r, "│", style);
      this.text(x + w - 1, r, "│", style);
    }
    this.text(x, y + h - 1, "└" + "─".repeat(w - 2) + "┘", style);
    if (title) this.text(x + 2, y, ` ${title} `, { ...style, bold: true }, w - 4);
  }

  /** plain text of the canvas (for tests and logs) */
  lines(): string[] {
    return this.chars.map((row) => row.join("").replace(/\s+$/, ""));
  }
}

/** Tracks what the terminal shows and writes only the rows that changed. */
export class TerminalRenderer {
  private shown: string[] = [];
  constructor(private write: (s: string) => void) {}

  reset(): void { this.shown = []; }

  render(c: Canvas): void {
    let out = "";
    for (let y = 0; y < c.height; y++) {
      let row = "";
      let last = "";
      for (let x = 0; x < c.width; x++) {
        const st = c.styles[y]![x]!;
        const k = styleKey(st);
        if (k !== last) { row += sgr(st); last = k; }
        row += c.chars[y]![x];
      }
      row += "\x1b[0m";
      if (this.shown[y] !== row) {
        out += `\x1b[${y + 1};1H` + row;
        this.shown[y] = row;
      }
    }
    if (out) this.write(out);
  }
}
