// Runs the display/keypad self-tests (the same ones the on-device selftest bundle runs).
import { selfTests } from "../../drivers/selftest/check";

describe("ui, ssd1306 and keypad self-tests", () => {
  const before = selfTests.length;
  require("../../firmware/ui/ui.selftest");
  require("../../drivers/ssd1306/ssd1306.selftest");
  require("../../drivers/keypad/keymap.selftest");
  for (const t of selfTests.slice(before)) it(t.name, t.fn);
});
