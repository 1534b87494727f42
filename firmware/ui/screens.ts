// Screen builders: each clears the Graphics and draws one whole screen in our own fonts.
// Layout (128x64): a lit title bar on rows 0-9, content lines every 9 px from y=12, and an
// optional hint line at y=56. Pure drawing: no I/O, so screens are golden-tested.
import { formatAmount } from "../util/money";
import { maskedPan, lastFour } from "../util/mask";
import { useSmallFont, useBigFont, bigWidth, smallWidth, BIG_HEIGHT } from "./fonts";
import { LINE_CHARS, SCREEN_W, truncate, wrap, centreX } from "./text";

export const TITLE_H = 10;
export const LINE_Y0 = 12;
export const LINE_PITCH = 9;
export const HINT_Y = 56;
/** content lines that fit above the hint line, and without one */
export const LINES_WITH_HINT = 4;
export const LINES_NO_HINT = 5;

function lineY(i: number): number {
  return LINE_Y0 + i * LINE_PITCH;
}

/** inverted bar with the title left and an optional status (e.g. "2/5") right */
export function drawTitle(g: Graphics, title: string, right?: string): void {
  useSmallFont(g);
  g.setColor(1);
  g.fillRect(0, 0, SCREEN_W - 1, TITLE_H - 1);
  g.setColor(0);
  var r = right ? truncate(right, 6) : "";
  var room = LINE_CHARS - (r.length > 0 ? r.length + 1 : 0);
  g.drawString(truncate(title, room), 2, 1);
  if (r.length > 0) g.drawString(r, SCREEN_W - 1 - smallWidth(r), 1);
  g.setColor(1);
}

function drawHint(g: Graphics, hint?: string): void {
  if (!hint) return;
  var s = truncate(hint, LINE_CHARS);
  g.drawString(s, centreX(smallWidth(s)), HINT_Y);
}

function drawLines(g: Graphics, lines: string[], first: number, centred: boolean): void {
  for (var i = 0; i < lines.length; i++) {
    var s = lines[i] as string;
    g.drawString(s, centred ? centreX(smallWidth(s)) : 2, lineY(first + i));
  }
}

/** a question or instruction, wrapped */
export function screenPrompt(g: Graphics, title: string, prompt: string, hint?: string): void {
  g.clear();
  drawTitle(g, title);
  drawLines(g, wrap(prompt, LINE_CHARS - 1, hint ? LINES_WITH_HINT : LINES_NO_HINT), 0, false);
  drawHint(g, hint);
}

/** an amount in big digits, right-aligned; falls back to the small font if too wide */
export function screenAmount(g: Graphics, title: string, label: string, minor: number, currency: string, hint?: string): void {
  g.clear();
  drawTitle(g, title);
  var cur = truncate(currency, 4);
  g.drawString(truncate(label, LINE_CHARS - cur.length - 1), 2, LINE_Y0);
  g.drawString(cur, SCREEN_W - 2 - smallWidth(cur), LINE_Y0);
  var s = formatAmount(minor);
  var w = bigWidth(s);
  var top = LINE_Y0 + LINE_PITCH + 3;
  if (w > 0 && w <= SCREEN_W - 4) {
    useBigFont(g);
    g.drawString(s, SCREEN_W - 2 - w, top);
    useSmallFont(g);
  } else {
    s = truncate(s, LINE_CHARS);
    g.drawString(s, SCREEN_W - 2 - smallWidth(s), top + (BIG_HEIGHT - 8) / 2);
  }
  drawHint(g, hint);
}

/** first visible item so that `selected` is on screen */
export function menuWindow(count: number, selected: number, visible: number): number {
  if (count <= visible || selected < visible) return 0;
  var first = selected - visible + 1;
  return first > count - visible ? count - visible : first;
}

/** numbered items (keys 1-9 select), the selected one inverted, scrolled into view */
export function screenMenu(g: Graphics, title: string, items: string[], selected: number): void {
  g.clear();
  var n = items.length;
  drawTitle(g, title, n > LINES_NO_HINT ? (selected + 1) + "/" + n : undefined);
  var first = menuWindow(n, selected, LINES_NO_HINT);
  for (var i = 0; i < LINES_NO_HINT && first + i < n; i++) {
    var k = first + i;
    var label = (k < 9 ? (k + 1) + " " : "  ") + truncate(items[k] as string, LINE_CHARS - 3);
    var y = lineY(i);
    if (k === selected) {
      g.fillRect(0, y - 1, SCREEN_W - 1, y + 7);
      g.setColor(0);
      g.drawString(label, 2, y);
      g.setColor(1);
    } else {
      g.drawString(label, 2, y);
    }
  }
}

/** a short centred message (approved, please wait...) */
export function screenMessage(g: Graphics, title: string, text: string, hint?: string): void {
  g.clear();
  drawTitle(g, title);
  var lines = wrap(text, LINE_CHARS, hint ? LINES_WITH_HINT : LINES_NO_HINT);
  var max = hint ? LINES_WITH_HINT : LINES_NO_HINT;
  drawLines(g, lines, Math.floor((max - lines.length) / 2), true);
  drawHint(g, hint);
}

/** an error with its code in the title bar, so a support call can quote it */
export function screenError(g: Graphics, code: string, text: string, hint?: string): void {
  g.clear();
  drawTitle(g, "ERROR", truncate(code, 6));
  drawLines(g, wrap(text, LINE_CHARS, hint ? LINES_WITH_HINT : LINES_NO_HINT), 0, false);
  drawHint(g, hint);
}

/** the card as the cardholder may see it: last four digits only, plus the amount */
export function screenCard(g: Graphics, title: string, pan: string, minor: number, currency: string, hint?: string): void {
  g.clear();
  drawTitle(g, title);
  var last4 = lastFour(pan);
  var masked = maskedPan(last4.length === 4 ? last4 : "????");
  g.drawString(masked, centreX(smallWidth(masked)), lineY(0) + 2);
  var amt = truncate(currency + " " + formatAmount(minor), LINE_CHARS);
  g.drawString(amt, centreX(smallWidth(amt)), lineY(2));
  drawHint(g, hint);
}

