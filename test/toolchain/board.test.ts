// Board validation: the shipped boards pass; broken variants fail with the file and field named.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateBoard, loadBoardFile, loadBoard, boardNames, BoardError, budgetOf, DEFAULT_BUDGET } from "../../tools/board";
import { BOARDS_DIR } from "../../tools/paths";

const FILE = path.join(BOARDS_DIR, "pos-esp32-v1.json");
const base = (): any => JSON.parse(fs.readFileSync(FILE, "utf8"));

/** validates a mutated copy of the default board */
function broken(mutate: (b: any) => void): string[] {
  const b = base();
  mutate(b);
  return validateBoard(b, FILE).errors;
}

function expectError(mutate: (b: any) => void, field: string, what: RegExp): void {
  const errors = broken(mutate);
  assert.ok(errors.some((e) => e.startsWith("boards/pos-esp32-v1.json: " + field + ": ") && what.test(e)),
    "expected " + field + " " + what + ", got:\n" + errors.join("\n"));
}

describe("board validation", () => {
  it("every shipped board is valid", () => {
    assert.ok(boardNames().length >= 2);
    assert.ok(boardNames().indexOf("esp32-cli") < 0, "the CLI's board description is not a board");
    for (const name of boardNames()) {
      const r = loadBoardFile(name);
      assert.equal(r.board.name, name);
    }
  });

  it("the default board warns about input-only pins that need external pull-ups", () => {
    const r = loadBoardFile("pos-esp32-v1");
    assert.ok(r.warnings.some((w) => /parts.msr.strobe: GPIO 34 .*pull-up/.test(w)), r.warnings.join("\n"));
  });

  it("names the file and field of an unknown part type", () => {
    expectError((b) => { b.parts.display.type = "ssd1309"; }, "parts.display.type", /unknown part type "ssd1309"/);
  });

  it("a part on a missing bus, or on the wrong kind of bus", () => {
    expectError((b) => { b.parts.display.bus = "i2c9"; }, "parts.display.bus", /no bus named "i2c9"/);
    expectError((b) => { b.parts.printer.bus = "i2c1"; }, "parts.printer.bus", /i2c bus, this part needs uart/);
  });

  it("a pin used twice across buses, parts and reserved pins", () => {
    expectError((b) => { b.parts.keypad.cols[3] = 13; }, "parts.keypad.cols[3]", /GPIO 13 is already used by parts.keypad.rows\[0\]/);
    expectError((b) => { b.parts.nfc.reset = 22; }, "parts.nfc.reset", /GPIO 22 is already used by buses.i2c1.scl/);
    expectError((b) => { b.parts.nfc.reset = 2; }, "parts.nfc.reset", /already used by reserved.2 \(LED1\)/);
  });

  it("flash pins 6-11", () => {
    expectError((b) => { b.parts.nfc.reset = 9; }, "parts.nfc.reset", /SPI flash/);
  });

  it("input-only pins 34-39 as outputs", () => {
    expectError((b) => { b.parts.keypad.rows[0] = 34; b.parts.msr.strobe = 23; }, "parts.keypad.rows[0]", /input-only .*keypad row/);
    expectError((b) => { b.buses.uart2.tx = 38; }, "buses.uart2.tx", /input-only .*UART TX/);
    expectError((b) => { b.buses.i2c1.sda = 37; }, "buses.i2c1.sda", /input-only .*I2C SDA/);
  });

  it("strapping pins for outputs unless explicitly allowed", () => {
    expectError((b) => { b.parts.nfc.reset = 15; }, "parts.nfc.reset", /strapping pin/);
    assert.deepEqual(broken((b) => { b.parts.nfc.reset = 15; b.toolchain = { allowStrappingPins: [15] }; }), []);
    const r = validateBoard({ ...base(), parts: { ...base().parts, nfc: { ...base().parts.nfc, irq: 5 } } }, FILE);
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => /parts.nfc.irq: GPIO 5 is a strapping pin/.test(w)));
  });

  it("flash regions: inside a raw partition, clear of Storage, aligned, not overlapping", () => {
    expectError((b) => { b.flashRegions.journal.base = 0x320000; }, "flashRegions.journal", /overlaps the Storage partition/);
    expectError((b) => { b.flashRegions.journal.sectors = 17; }, "flashRegions.journal", /overlaps the Storage|not inside a raw partition/);
    expectError((b) => { b.flashRegions.journal.base = 0x200000; }, "flashRegions.journal", /not inside a raw partition/);
    expectError((b) => { b.flashRegions.settings.base = 0xE800; }, "flashRegions.settings.base", /not aligned/);
    expectError((b) => { b.flashRegions.settings.sectorSize = 1024; }, "flashRegions.settings.sectorSize", /4096-byte erase sector/);
    expectError((b) => { b.flashRegions.spare = { base: 0x310000, sectors: 1, sectorSize: 4096 }; }, "flashRegions.spare", /overlaps flashRegions.journal/);
    expectError((b) => { delete b.flashRegions.settings; }, "flashRegions.settings", /missing/);
  });

  it("schema: types, unknown fields, name matches the file", () => {
    expectError((b) => { b.buses.i2c1.bitrate = "fast"; }, "buses.i2c1.bitrate", /must be an integer/);
    expectError((b) => { b.parts.printer.speed = 60; }, "parts.printer.speed", /unknown field/);
    expectError((b) => { b.name = "other"; }, "name", /file is pos-esp32-v1.json/);
    expectError((b) => { b.parts.keypad.keys[0][0] = "X"; }, "parts.keypad.keys[0][0]", /unknown key "X"/);
    expectError((b) => { b.parts.display.address = 36; }, "parts.nfc.address", /0x24 on i2c1 is already used by parts.display/);
    expectError((b) => { b.buses.uart2.hw = "Serial1"; }, "buses.uart2.hw", /console/);
  });

  it("sntp: optional; a host name or IPv4 address and a UDP port, nothing else", () => {
    assert.deepEqual(loadBoard("pos-esp32-v1").sntp, { host: "pool.ntp.org", port: 123 });
    assert.equal(loadBoard("pos-esp32-uart-msr").sntp, undefined, "a board without an SNTP server is valid");
    assert.deepEqual(broken((b) => { b.sntp = { host: "10.0.0.5", port: 10123 }; }), []);
    expectError((b) => { b.sntp = "pool.ntp.org"; }, "sntp", /must be an object/);
    expectError((b) => { b.sntp = { port: 123 }; }, "sntp.host", /missing .*DNS name or IPv4/);
    expectError((b) => { b.sntp.host = "ntp://pool.ntp.org"; }, "sntp.host", /not a host name or IPv4 address/);
    expectError((b) => { b.sntp.host = "pool.ntp.org:123"; }, "sntp.host", /no scheme or port/);
    expectError((b) => { b.sntp.host = ""; }, "sntp.host", /non-empty string/);
    expectError((b) => { delete b.sntp.port; }, "sntp.port", /missing .*123/);
    expectError((b) => { b.sntp.port = 0; }, "sntp.port", /UDP port 1..65535, got 0/);
    expectError((b) => { b.sntp.port = "123"; }, "sntp.port", /UDP port 1..65535, got "123"/);
    expectError((b) => { b.sntp.server = "x"; }, "sntp.server", /unknown field \(allowed: host, port\)/);
  });

  it("loadBoard throws one BoardError listing every problem; budget comes from the file or the default", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "board-"));
    const file = path.join(dir, "bad-board.json");
    const b = base();
    b.name = "bad-board";
    b.parts.nfc.reset = 9;
    b.parts.display.type = "oled";
    fs.writeFileSync(file, JSON.stringify(b));
    assert.throws(() => loadBoard(file), (e: unknown) => e instanceof BoardError && e.errors.length === 2 && /2 problems/.test(e.message));
    fs.writeFileSync(file, "{ not json");
    assert.throws(() => loadBoard(file), /bad-board.json: not valid JSON/);
    assert.throws(() => loadBoard("no-such-board"), /no such board file \(boards: .*pos-esp32-v1/);
    assert.equal(budgetOf(loadBoard("pos-esp32-v1")), DEFAULT_BUDGET);
    assert.equal(budgetOf(loadBoard("pos-esp32-uart-msr")), 163840);
  });
});
