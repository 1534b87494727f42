// Golden screens: every toolkit screen drawn in our font on a Graphics buffer, flushed by the
// Ssd1306 driver over simulated I2C into the virtual SSD1306, and read back from its glass as
// text. Fixtures live in test/fixtures/screens/<name>.txt; UPDATE_GOLDEN=1 rewrites them,
// SCREENS_PNG=<dir> also writes each panel as a PNG for people to look at.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { displayRig } from "../support/ssd1306-rig";
import { SCREENS } from "../fixtures/screens/catalog";

const dir = path.join(__dirname, "..", "fixtures", "screens");

describe("golden screens through Graphics -> Ssd1306 -> I2C -> virtual panel", () => {
  const update = process.env.UPDATE_GOLDEN === "1";
  for (const s of SCREENS) {
    it(s.name, () => {
      const r = displayRig();
      s.draw(r.g);
      assert.ok(r.drv.flip(r.g) > 0);
      const text = r.part.toText();
      if (process.env.SCREENS_PNG) {
        fs.mkdirSync(process.env.SCREENS_PNG, { recursive: true });
        fs.writeFileSync(path.join(process.env.SCREENS_PNG, s.name + ".png"), r.part.toPng({ scale: 4, colour: "blue" }));
      }
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
