import { strict as assert } from "assert";
import { renderScreen, helpOverlay, ViewState } from "../../sim/ui/layout";
import { toBraille, toQuadrants } from "../../sim/ui/pixels";
import { splitKeys, TerminalUi } from "../../sim/ui/app";
import { UiWorld } from "../../sim/ui/world";

function fakeWorld(): UiWorld & { pressed: string[]; net: boolean; power: boolean; paperOut: boolean } {
  const w = {
    pressed: [] as string[], net: true, power: true, paperOut: false,
    boardName: "test-board",
    time: () => 1.5,
    advance: () => {},
    powered: () => w.power, powerCut: () => { w.power = false; }, powerOn: () => { w.power = true; },
    netUp: () => w.net, setNet: (up: boolean) => { w.net = up; },
    paper: { out: () => w.paperOut, set: (o: boolean) => { w.paperOut = o; }, lines: () => ["   MERCHANT", "STAN 000001", "TOTAL 19.99"] },
    // a diagonal line and a filled 8x8 block in the corner
    display: { width: 128, height: 64, pixel: (x: number, y: number) => x === y || (x < 8 && y < 8), lit: () => true },
    keypad: { keys: [["1", "2", "3", "CANCEL"], ["4", "5", "6", "CLEAR"], ["7", "8", "9", "ENTER"], ["FUNC", "0", "00", "MENU"]],
      isDown: (k: string) => k === "5", tap: (k: string) => { w.pressed.push(k); } },
    readerActivity: () => "idle",
    consoleLines: () => ["POS firmware on test-board"],
    snapshot: () => [],
  };
  return w;
}

const view = (): ViewState => ({ receiptScroll: 0, logScroll: 0, message: "hello", overlay: null, progress: null });

describe("terminal UI layout", () => {
  it("fits the display, keypad, receipt and log in 80x40", () => {
    const lines = renderScreen(fakeWorld(), view(), 80, 40).lines();
    assert.equal(lines.length, 40);
    const text = lines.join("\n");
    for (const s of ["Display 128x64", "Keys", "CNL", "STAN 000001", "POS firmware on test-board"]) assert.ok(text.includes(s), s);
    for (const s of ["POWER ON", "NET UP", "PAPER OK"]) assert.ok(lines[0]!.includes(s), s);
    for (const l of lines) assert.ok(Array.from(l).length <= 80, l);
  });

  it("renders panel pixels faithfully as Braille dots and quadrant blocks", () => {
    const on = (x: number, y: number) => x === 0 && y === 0;
    assert.deepEqual(toBraille(2, 4, on), ["\u2801"]);
    assert.deepEqual(toBraille(2, 4, () => true), ["\u28ff"]);
    assert.deepEqual(toQuadrants(2, 2, on), ["▘"]);
    assert.deepEqual(toQuadrants(4, 2, (x) => x >= 2), [" █"]);
  });

  it("lists every binding in the help overlay", () => {
    const text = helpOverlay().lines.join("\n");
    for (const k of ["Esc", "Enter", "swipe", "tap", "power", "network", "paper", "acquirer", "SNTP", "snapshot", "campaign"]) {
      assert.ok(text.includes(k), k);
    }
  });

  it("keeps escape sequences whole when splitting input", () => {
    assert.deepEqual(splitKeys("12\r\x1b[5~q"), ["1", "2", "\r", "\x1b[5~", "q"]);
  });

  it("maps terminal keys to keypad keys and actions", () => {
    const w = fakeWorld();
    const out = { write: () => true, columns: 80, rows: 40, on() {}, off() {} } as any;
    const ui = new TerminalUi(w, { input: {} as any, output: out });
    for (const k of ["1", "9", "\r", "\x7f", "\x1b", "m", "f", "."]) ui.onKey(k);
    assert.deepEqual(w.pressed, ["1", "9", "ENTER", "CLEAR", "CANCEL", "MENU", "FUNC", "00"]);
    ui.onKey("n"); assert.equal(w.net, false);
    ui.onKey("p"); assert.equal(w.power, false);
    ui.onKey("p"); assert.equal(w.power, true);
    ui.onKey("o"); assert.equal(w.paperOut, true);
  });
});
