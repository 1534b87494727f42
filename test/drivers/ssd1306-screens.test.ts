// Golden screens: every toolkit screen drawn in our font on a Graphics buffer, flushed by the
// Ssd1306 driver over simulated I2C into the virtual SSD1306, and read back from its glass as
// text. Fixtures live in test/fixtures/screens/<name>.txt; UPDATE_GOLDEN=1 rewrites them.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { displayRig } from "./ssd1306-rig";
import * as ui from "../../firmware/ui/screens";
import { MAX_AMOUNT } from "../../firmware/util/money";

const dir = path.join(__dirname, "..", "fixtures", "screens");

export const SCREENS: { name: string; draw: (g: any) => void }[] = [
  { name: "prompt", draw: (g) => ui.screenPrompt(g, "SALE", "Insert, swipe or tap the card", "CANCEL to abort") },
  { name: "prompt-long", draw: (g) => ui.screenPrompt(g, "A title far too long for the bar", "Averyveryverylongwordwithoutspaces then some words that go on and on past five lines of text for sure yes", "") },
  { name: "amount", draw: (g) => ui.screenAmount(g, "SALE", "Amount", 123456, "EUR", "ENTER ok  CLEAR del") },
  { name: "amount-zero", draw: (g) => ui.screenAmount(g, "REFUND", "Amount", 0, "EUR", "Type the amount") },
  { name: "amount-max", draw: (g) => ui.screenAmount(g, "SALE", "Amount", MAX_AMOUNT, "EUR") },
  { name: "amount-negative", draw: (g) => ui.screenAmount(g, "TOTALS", "Net", -MAX_AMOUNT, "EUR") },
  { name: "menu", draw: (g) => ui.screenMenu(g, "MENU", ["Sale", "Refund", "Void", "Settlement", "Reports", "Setup", "Reprint last receipt and more"], 6) },
  { name: "menu-short", draw: (g) => ui.screenMenu(g, "SETUP", ["Contrast", "Test print"], 0) },
  { name: "message", draw: (g) => ui.screenMessage(g, "APPROVED", "Auth code 123456", "Remove card") },
  { name: "error", draw: (g) => ui.screenError(g, "E051", "Declined by host: insufficient funds", "CANCEL") },
  { name: "card", draw: (g) => ui.screenCard(g, "CARD", "1111", 2599, "EUR", "ENTER to pay") },
  { name: "charset", draw: (g) => {
    let s = "";
    for (let c = 32; c <= 126; c++) s += String.fromCharCode(c);
    ui.screenPrompt(g, "CHARSET", s.substr(0, 20) + " " + s.substr(20, 20) + " " + s.substr(40, 20) + " " + s.substr(60, 20) + " " + s.substr(80));
  } },
];

describe("golden screens through Graphics -> Ssd1306 -> I2C -> virtual panel", () => {
  const update = process.env.UPDATE_GOLDEN === "1";
  for (const s of SCREENS) {
    it(s.name, () => {
      const r = displayRig();
      s.draw(r.g);
      assert.ok(r.drv.flip(r.g) > 0);
      const text = r.part.toText();
      const file = path.join(dir, s.name + ".txt");
      if (update || !fs.existsSync(file)) {
        if (!update) assert.fail(`no fixture ${file}: run UPDATE_GOLDEN=1 node_modules/.bin/mocha test/drivers/ssd1306-screens.test.ts`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(file, text);
        return;
      }
      const want = fs.readFileSync(file, "utf8");
      if (text !== want) {
        const a = text.split("\n"), b = want.split("\n");
        const row = a.findIndex((l, i) => l !== b[i]);
        assert.fail(`${s.name}: panel differs from ${path.relative(process.cwd(), file)} first at row ${row}\n got: ${a[row]}\nwant: ${b[row]}`);
      }
    });
  }
});
