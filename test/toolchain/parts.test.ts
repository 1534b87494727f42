// Parts described once (docs/architecture.md): each driver folder's descriptor
// (drivers/<folder>/part.spec.ts) drives the board validator, the build's "@parts" (which
// factory fills each role, and nothing else in the bundle) and the simulator's virtual parts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { knownParts, partOfType, partTypes } from "../../tools/parts";
import { validateBoard, loadBoard } from "../../tools/board";
import { partsModule, bundle, boardForFirmware } from "../../tools/bundle";
import { compile } from "../../tools/compile";
import { BOARDS_DIR, FIRMWARE_ENTRY, rel } from "../../tools/paths";
import { ROLES } from "../../drivers/parts";
import { findPartFactory, knownPartTypes } from "../../sim/parts/registry";
import type { Pn532Entry } from "../../drivers/pn532/part.spec";
import type { EscposEntry } from "../../drivers/escpos/part.spec";

// The board types come from the descriptors: optional fields are optional, the rest required
// (checked by `make check`, which type-checks this file).
const nfcEntry: Pn532Entry = { type: "pn532", bus: "i2c1" };
const printerEntry: EscposEntry = { type: "escpos", bus: "uart2", dots: 384, columns: 32, mmPerSecond: 60 };
// @ts-expect-error columns is required
const noColumns: EscposEntry = { type: "escpos", bus: "uart2", dots: 384, mmPerSecond: 60 };

const V1 = path.join(BOARDS_DIR, "pos-esp32-v1.json");
const base = (): any => JSON.parse(fs.readFileSync(V1, "utf8"));

function errorsOf(mutate: (b: any) => void, file = V1): string[] {
  const b = file === V1 ? base() : JSON.parse(fs.readFileSync(file, "utf8"));
  mutate(b);
  return validateBoard(b, file).errors;
}

/** exactly one error, for this field of this board file, matching `what` */
function refused(mutate: (b: any) => void, field: string, what: RegExp, file = V1): string {
  const errors = errorsOf(mutate, file);
  const prefix = rel(file) + ": " + field + ": ";
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.ok(errors[0]!.startsWith(prefix), `expected ${prefix}..., got ${errors[0]}`);
  assert.match(errors[0]!.slice(prefix.length), what);
  return errors[0]!;
}

describe("parts described once", function () {
  this.timeout(120000);

  describe("the descriptors", () => {
    it("each names a role, fields and a factory its folder's part.ts exports", () => {
      assert.ok(knownParts().length >= 7, partTypes().join(", "));
      for (const p of knownParts()) {
        assert.ok((ROLES as readonly string[]).indexOf(p.role) >= 0, `${p.type}: role ${p.role}`);
        assert.ok(fs.existsSync(p.factoryFile), `${rel(p.factoryFile)} missing`);
        assert.equal(typeof require(p.factoryFile)[p.factory], "function", `${rel(p.factoryFile)} exports no ${p.factory}`);
        for (const f of Object.values(p.factoryOnBus || {})) assert.equal(typeof require(p.factoryFile)[f], "function", `${rel(p.factoryFile)} exports no ${f}`);
        assert.ok(p.what.length > 10);
        for (const name of Object.keys(p.fields)) assert.notEqual(name, "type", `${p.type}: "type" is not a field`);
        if (p.model) assert.ok(p.virtual, `${p.type}: a model's constants go to a virtual part`);
      }
    });

    it("the known types are the drivers' (a second printer model is one more folder)", () => {
      assert.deepEqual(partTypes().slice().sort(),
        ["escpos", "escpos-80mm", "keypad-matrix", "magstripe-ttl", "magstripe-uart", "pn532", "ssd1306"]);
      assert.equal(partOfType("escpos-80mm")!.role, "printer");
      assert.equal(rel(partOfType("escpos-80mm")!.factoryFile), "drivers/escpos80/part.ts");
    });

    it("docs/boards.md's table of parts lists every type with its role", () => {
      const doc = fs.readFileSync(path.join(BOARDS_DIR, "..", "docs", "boards.md"), "utf8");
      const table = doc.slice(doc.indexOf("## Parts\n"), doc.indexOf("## What the validator checks"));
      const rows = table.split("\n").filter((l) => /^\| `[a-z0-9-]+` \|/.test(l)).map((l) => l.split("|").map((c) => c.trim()));
      assert.deepEqual(rows.map((r) => r[1]!.replace(/`/g, "")).sort(), partTypes().slice().sort());
      for (const r of rows) assert.equal(r[2], partOfType(r[1]!.replace(/`/g, ""))!.role, r[1]);
    });
  });

  describe("board validation from the descriptors", () => {
    it("an unknown part type is refused, naming the board file, the field and the known types", () => {
      const e = refused((b) => { b.parts.printer.type = "escpos-99"; }, "parts.printer.type", /^unknown part type "escpos-99" \(known: /);
      for (const t of partTypes()) assert.ok(e.includes(t), t);
    });

    it("a missing field is refused, by name", () => {
      refused((b) => { delete b.parts.printer.columns; }, "parts.printer.columns", /^missing$/);
      refused((b) => { delete b.parts.msr.strobe; }, "parts.msr.strobe", /^missing$/);
      refused((b) => { delete b.parts.display.bus; }, "parts.display.bus", /^missing$/);
      assert.ok(errorsOf((b) => { delete b.parts.keypad.rows; }).indexOf("boards/pos-esp32-v1.json: parts.keypad.rows: must be a non-empty list of pins") >= 0);
    });

    it("a bad pin is refused: not a GPIO, not a number, or an input-only pin as an output", () => {
      refused((b) => { b.parts.msr.strobe = 40; }, "parts.msr.strobe", /GPIO 40 does not exist on the ESP32/);
      refused((b) => { b.parts.nfc.irq = "D36"; }, "parts.nfc.irq", /must be an integer >= 0, got "D36"/);
      refused((b) => { b.parts.nfc.reset = 36; b.parts.nfc.irq = 23; }, "parts.nfc.reset", /input-only .*PN532 reset/);
      refused((b) => { b.parts.keypad.rows[2] = 6; }, "parts.keypad.rows[2]", /SPI flash/);
    });

    it("a part must fit its role, and roles are the firmware's", () => {
      refused((b) => { b.parts.display.type = "escpos"; }, "parts.display.type", /"escpos" is a printer .*not a display \(display types: ssd1306\)/);
      refused((b) => { b.parts.scale = { type: "escpos", bus: "uart2" }; }, "parts.scale", /unknown role \(roles: display, keypad, printer, msr, nfc\)/);
    });

    it("field checks from the descriptor: numbers, lists, buses, addresses", () => {
      refused((b) => { b.parts.display.height = 60; }, "parts.display.height", /multiple of 8 \(vertical_byte layout\)/);
      refused((b) => { b.parts.printer.mmPerSecond = 0; }, "parts.printer.mmPerSecond", /positive number/);
      refused((b) => { b.parts.msr.tracks = [4]; }, "parts.msr.tracks", /track numbers 1\.\.3/);
      refused((b) => { b.parts.nfc.address = 300; }, "parts.nfc.address", /7-bit I2C address/);
      refused((b) => { b.parts.nfc = { type: "pn532", bus: "uart2" }; }, "parts.printer.bus", /UART uart2 is already used by parts.nfc/);
      assert.deepEqual(errorsOf((b) => { b.parts.nfc = { type: "pn532", bus: "uart2" }; delete b.parts.printer; }), []);
    });

    it("a model's fixed properties are not board fields; the 80 mm board is valid", () => {
      const file = path.join(BOARDS_DIR, "pos-esp32-80mm.json");
      assert.deepEqual(errorsOf(() => {}, file), []);
      refused((b) => { b.parts.printer.columns = 48; }, "parts.printer.columns", /unknown field \(allowed: type, bus, busy\)/, file);
    });
  });

  describe("@parts: roles bound to factories at build time", () => {
    it("binds each role to its part type's factory, and leaves empty roles undefined", () => {
      const v1 = partsModule(loadBoard("pos-esp32-v1"));
      assert.match(v1, /export \{ ssd1306 as display \} from ".*drivers\/ssd1306\/part\.ts";/);
      assert.match(v1, /export \{ escpos as printer \} from ".*drivers\/escpos\/part\.ts";/);
      assert.match(v1, /export \{ magstripeTtl as msr \}/);
      // a part on either bus: the factory for the board's bus only (I2C here; HSU on a UART)
      assert.match(v1, /export \{ pn532OnI2c as nfc \}/);
      const hsu = loadBoard("pos-esp32-v1") as any;
      delete hsu.parts.printer;
      hsu.parts.nfc = { type: "pn532", bus: "uart2" };
      assert.match(partsModule(hsu), /export \{ pn532OnUart as nfc \}/);
      const uartMsr = partsModule(loadBoard("pos-esp32-uart-msr"));
      assert.match(uartMsr, /export \{ magstripeUart as msr \}/);
      assert.match(uartMsr, /export var nfc = void 0;/);
      assert.match(partsModule(loadBoard("pos-esp32-80mm")), /export \{ escpos80 as printer \} from ".*drivers\/escpos80\/part\.ts";/);
    });

    it("a bundle carries its board's factories only, and no descriptor tables", async () => {
      const c = compile({ roots: [FIRMWARE_ENTRY] });
      assert.deepEqual(c.errors, []);
      const build = (name: string) => bundle({ entry: FIRMWARE_ENTRY, modules: c.modules, board: loadBoard(name), fileName: "firmware.js" });
      const v1 = await build("pos-esp32-v1");
      const uartMsr = await build("pos-esp32-uart-msr");
      const ppse = "00A404000E325041592E5359532E444446303100"; // the EMV reader's SELECT PPSE (drivers/emv/nfc-reader.ts)
      assert.ok(v1.code.includes(ppse), "the NFC reader is in the bundle of a board with a PN532");
      assert.ok(!uartMsr.code.includes(ppse), "and not in one without");
      for (const p of knownParts()) {
        assert.ok(!v1.code.includes(JSON.stringify(p.what)), `descriptor text of ${p.type} in the bundle`);
        for (const f of Object.values(p.fields)) if ("what" in f) assert.ok(!v1.code.includes(JSON.stringify(f.what)), `"${f.what}" in the bundle`);
      }
      // part types appear only in the embedded board (bring-up never names one)
      const count = (hay: string, needle: string) => hay.split(needle).length - 1;
      const embedded = JSON.stringify(boardForFirmware(loadBoard("pos-esp32-v1")));
      const copies = count(v1.code, 'name:"pos-esp32-v1"'); // terser may inline the board's literal where it is read
      assert.ok(copies >= 1);
      for (const t of partTypes()) assert.equal(count(v1.code, JSON.stringify(t)), copies * count(embedded, JSON.stringify(t)), t);
    });
  });

  describe("the simulator's virtual parts by type", () => {
    it("serves every type, the 80 mm model with the virtual ESC/POS printer and its constants", () => {
      assert.deepEqual(knownPartTypes(), partTypes().slice().sort());
      const { factory, warning } = findPartFactory("escpos-80mm");
      assert.equal(warning, undefined);
      assert.ok(factory);
      const unknown = findPartFactory("ssd1309");
      assert.equal(unknown.factory, undefined);
      assert.match(unknown.warning!, /unknown part type 'ssd1309'/);
    });
  });

  // keep the type-level checks above from being flagged as unused
  void nfcEntry; void printerEntry; void noColumns;
});
