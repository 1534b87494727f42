// The terminal's screen: the OLED, the keypad, the receipt paper, status and the firmware
// log, laid out for 80x40 and growing with larger terminals.
import { Canvas, Style } from "./canvas";
import { toBraille, toQuadrants } from "./pixels";
import { UiWorld, Choice } from "./world";

export interface Overlay { title: string; lines: string[]; }

export interface ViewState {
  receiptScroll: number; // lines up from the bottom
  logScroll: number;
  message: string;
  overlay: Overlay | null;
  progress: { label: string; done: number; total: number; failures: number } | null;
}

const DIM: Style = { fg: 244 };
const OK: Style = { fg: 46, bold: true };
const BAD: Style = { fg: 196, bold: true };
const PANEL: Style = { fg: 51, bg: 16 };

/** short labels so a 4x4 keypad fits a narrow column */
export function keyLabel(key: string): string {
  const short: { [k: string]: string } = { CANCEL: "CNL", CLEAR: "CLR", ENTER: "ENT", FUNC: "FN", MENU: "MNU" };
  return short[key] ?? key;
}

/** which terminal key presses which keypad key: documented in the help overlay */
export const KEY_BINDINGS: [string, string][] = [
  ["0-9", "digit keys"], ["Enter", "ENTER"], ["Backspace", "CLEAR"], ["Esc", "CANCEL"],
  ["m", "MENU"], ["f", "FUNC"], [".", "00"],
];
export const ACTION_BINDINGS: [string, string][] = [
  ["s", "swipe a card (choose)"], ["t", "tap an NFC card (choose)"], ["r", "remove the NFC card"],
  ["p", "cut / restore power"], ["n", "drop / restore the network"], ["o", "paper out / in"],
  ["a", "acquirer fault mode"], ["u", "SNTP fault (next request)"], ["c", "power-cut campaign"], ["x", "snapshot PNGs"],
  ["PgUp/PgDn", "scroll receipt"], ["[ / ]", "scroll log"], ["?", "help"], ["q", "quit"],
];

export function helpOverlay(): Overlay {
  const lines = ["Keypad:"];
  for (const [k, v] of KEY_BINDINGS) lines.push(`  ${k.padEnd(10)} ${v}`);
  lines.push("Actions:");
  for (const [k, v] of ACTION_BINDINGS) lines.push(`  ${k.padEnd(10)} ${v}`);
  lines.push("", "Any key closes this help.");
  return { title: "Help", lines };
}

export function choiceOverlay(title: string, choices: Choice[]): Overlay {
  const lines = choices.map((c, i) => `  ${String(i + 1).padStart(2)}  ${c.label}`);
  lines.push("", "Number to choose, Esc to close.");
  return { title, lines };
}

function drawDisplay(c: Canvas, w: UiWorld, x: number, y: number, tall: boolean): number {
  const d = w.display;
  if (!d) return 0;
  const rows = tall ? toQuadrants(d.width, d.height, d.pixel) : toBraille(d.width, d.height, d.pixel);
  const width = rows[0]?.length ?? 0;
  c.box(x, y, width + 2, rows.length + 2, `Display ${d.width}x${d.height}${d.lit() ? "" : " (off)"}`);
  rows.forEach((r, i) => c.text(x + 1, y + 1 + i, r, PANEL));
  return rows.length + 2;
}

function drawKeypad(c: Canvas, w: UiWorld, x: number, y: number, width: number, height: number): number {
  const k = w.keypad;
  if (!k) return 0;
  c.box(x, y, width, height, "Keys");
  const cols = k.keys[0]?.length ?? 4;
  const cell = Math.max(3, Math.floor((width - 2) / cols));
  k.keys.forEach((row, r) => {
    row.forEach((key, col) => {
      const label = keyLabel(key).slice(0, cell);
      const style: Style = k.isDown(key) ? { inverse: true, bold: true } : { fg: 252, bold: true };
      c.text(x + 1 + col * cell, y + 1 + r * 2, label.padEnd(cell), style, cell);
    });
  });
  // what the computer keyboard sends, under the keys
  const legend = ["Esc=CNL", "Bksp=CLR", "Enter=ENT", "m=MNU f=FN", ".=00", "", "s swipe", "t tap", "p power", "n network", "o paper", "? help"];
  legend.forEach((l, i) => {
    const ly = y + 2 + k.keys.length * 2 + i - 1;
    if (ly < y + height - 1) c.text(x + 1, ly, l, DIM, width - 2);
  });
  return height;
}

function drawStatus(c: Canvas, w: UiWorld, width: number): void {
  const parts: [string, Style][] = [
    [` ${w.boardName} `, { inverse: true, bold: true }],
    [` t=${w.time().toFixed(1)}s `, DIM],
    [w.powered() ? " POWER ON " : " POWER OFF ", w.powered() ? OK : BAD],
    [w.netUp() ? " NET UP " : " NET DOWN ", w.netUp() ? OK : BAD],
  ];
  if (w.paper) parts.push([w.paper.out() ? " PAPER OUT " : " PAPER OK ", w.paper.out() ? BAD : OK]);
  parts.push([` reader: ${w.readerActivity()} `, DIM]);
  if (w.acquirer) parts.push([` host: ${w.acquirer.current() ?? "ok"} `, w.acquirer.current() ? BAD : DIM]);
  let x = 0;
  for (const [s, st] of parts) x += c.text(x, 0, s, st, width - x);
}

function drawScrolled(c: Canvas, lines: string[], x: number, y: number, w: number, h: number, title: string, scroll: number): void {
  c.box(x, y, w, h, title);
  const inner = h - 2;
  const end = Math.max(0, lines.length - scroll);
  const start = Math.max(0, end - inner);
  for (let i = start; i < end; i++) c.text(x + 1, y + 1 + (i - start), lines[i]!, {}, w - 2);
  if (scroll > 0) c.text(x + w - 12, y + h - 1, ` +${scroll} more `, DIM);
}

function drawOverlay(c: Canvas, o: Overlay): void {
  const w = Math.min(c.width - 4, Math.max(o.title.length + 6, ...o.lines.map((l) => l.length + 4)));
  const h = Math.min(c.height - 2, o.lines.length + 2);
  const x = Math.floor((c.width - w) / 2), y = Math.floor((c.height - h) / 2);
  c.fill(x, y, w, h, " ", { bg: 235 });
  c.box(x, y, w, h, o.title, { fg: 226, bg: 235 });
  o.lines.slice(0, h - 2).forEach((l, i) => c.text(x + 2, y + 1 + i, l, { bg: 235, fg: 255 }, w - 4));
}

function progressBar(p: NonNullable<ViewState["progress"]>, width: number): string {
  const frac = p.total ? p.done / p.total : 0;
  const barW = Math.max(10, width - 40);
  const filled = Math.round(frac * barW);
  return `${p.label} [${"#".repeat(filled)}${".".repeat(barW - filled)}] ${p.done}/${p.total} failures ${p.failures}`;
}

export function renderScreen(w: UiWorld, v: ViewState, width: number, height: number): Canvas {
  const c = new Canvas(width, height);
  drawStatus(c, w, width);
  const tall = height >= 56 && width >= 100;
  const dispH = drawDisplay(c, w, 0, 1, tall);
  const dispW = w.display ? (w.display.width / 2) + 2 : 0;
  const keyH = drawKeypad(c, w, dispW, 1, Math.max(14, Math.min(30, width - dispW)), Math.max(dispH, 14));
  const topH = Math.max(dispH, keyH, 1);
  const bottomY = 1 + topH;
  const bottomH = height - bottomY - 1;
  // as wide as the paper (32 columns: 36), leaving the log at least half the screen or 30 columns
  const receiptW = w.paper ? Math.min((w.paper.columns || 32) + 4, Math.max(Math.floor(width / 2), width - 30)) : 0;
  if (w.paper) drawScrolled(c, w.paper.lines(), 0, bottomY, receiptW, bottomH, "Receipt", v.receiptScroll);
  drawScrolled(c, w.consoleLines(), receiptW, bottomY, width - receiptW, bottomH, "Firmware log", v.logScroll);
  const foot = v.progress ? progressBar(v.progress, width) : v.message;
  c.text(0, height - 1, foot, v.progress ? { fg: 226 } : DIM, width);
  if (v.overlay) drawOverlay(c, v.overlay);
  return c;
}
