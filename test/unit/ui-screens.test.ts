// Screen builders keep every string inside the panel, whatever the input (random titles,
// prompts, menu items, amounts, codes), and only use characters the font has.
import { strict as assert } from "assert";
import { Graphics } from "../../sim/runtime/graphics";
import { seededRandom } from "../support/testbed";
import * as ui from "../../firmware/ui/screens";
import { MAX_AMOUNT } from "../../firmware/util/money";

function checkedGraphics() {
  const g = Graphics.createArrayBuffer(128, 64, 1, { vertical_byte: true, msb: false });
  const calls: string[] = [];
  const draw = g.drawString.bind(g);
  (g as any).drawString = (s: string, x: number, y: number) => {
    const w = g.stringWidth(s);
    assert.ok(x >= 0 && x + w <= 128, `"${s}" at x=${x} is ${w} px wide`);
    assert.ok(y >= 0 && y + 8 <= 64, `"${s}" at y=${y}`);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      assert.ok(c >= 32 && c <= 127 || (c >= 44 && c <= 57), `char ${c} in "${s}"`);
    }
    calls.push(s);
    return draw(s, x, y);
  };
  return { g, calls };
}

function randomText(rnd: () => number, max: number): string {
  const n = Math.floor(rnd() * max);
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = rnd();
    s += r < 0.15 ? " " : r < 0.2 ? String.fromCharCode(Math.floor(rnd() * 256)) : String.fromCharCode(33 + Math.floor(rnd() * 94));
  }
  return s;
}

describe("ui screens: text always fits", () => {
  it("500 random screens of every kind", () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const { g } = checkedGraphics();
      const t = () => randomText(rnd, 60);
      const amount = Math.floor((rnd() * 2 - 1) * MAX_AMOUNT);
      switch (i % 6) {
        case 0: ui.screenPrompt(g as any, t(), t(), rnd() < 0.5 ? t() : undefined); break;
        case 1: ui.screenAmount(g as any, t(), t(), amount, t().substr(0, 6), t()); break;
        case 2: ui.screenMenu(g as any, t(), Array.from({ length: 1 + Math.floor(rnd() * 12) }, t), Math.floor(rnd() * 12) % 12); break;
        case 3: ui.screenMessage(g as any, t(), t(), t()); break;
        case 4: ui.screenError(g as any, t(), t(), t()); break;
        case 5: ui.screenCard(g as any, t(), "4111111111111111", amount, "EUR", t()); break;
      }
    }
  });

  it("the card screen never shows more than the last four digits", () => {
    const { g, calls } = checkedGraphics();
    ui.screenCard(g as any, "CARD", "4111111111119876", 100, "EUR");
    assert.ok(calls.includes("**** **** **** 9876"));
    assert.ok(!calls.some((s) => s.includes("411111")));
  });

  it("amounts beyond the big font's width fall back to the small font", () => {
    const { g, calls } = checkedGraphics();
    ui.screenAmount(g as any, "SALE", "Amount", -MAX_AMOUNT, "EUR");
    assert.ok(calls.includes("-9,999,999.99"));
  });
});
