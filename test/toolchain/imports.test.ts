// The import rule (docs/architecture.md, "What may import what"): every import, export-from,
// require("...") and import("...") in every .ts/.js file of boards/, drivers/, firmware/, sim/,
// tools/ and test/, resolved to the part it points into and checked against the rule below.
// A broken rule fails naming the file, the line and the import. Specifiers are read with the
// TypeScript scanner (ts.preProcessFile), so comments and strings are not mistaken for imports;
// a require() of a computed path (sim/cli.ts's commands, sim/parts/registry.ts's parts) is not
// seen, and stays inside sim/.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const PARTS = ["boards", "drivers", "firmware", "sim", "tools", "test"] as const;
type Part = (typeof PARTS)[number];
/** what a specifier points into: a part, a file at the top level ("package.json"), or a package */
type Target = Part | "(top level)" | "(package)";

/** The rule: which parts each part may import. test/ may import anything. */
const MAY_IMPORT: Record<Part, Target[]> = {
  boards: ["boards"],
  drivers: ["drivers"],
  firmware: ["firmware", "drivers", "boards"],
  sim: ["sim", "boards", "(package)"],
  tools: ["tools", "boards", "(package)"],
  test: ["boards", "drivers", "firmware", "sim", "tools", "test", "(top level)", "(package)"],
};
/** Of boards/, code outside test/ imports the types only (board files are read, not imported). */
const BOARD_TYPES = "boards/types.ts";
/** Bare specifiers the firmware may import: the build's board module and the Espruino built-in
 *  modules it uses ("net" and "crypto" are Espruino's here, not Node's). drivers/ and boards/
 *  import none: drivers get buses, pins and timers injected (drivers/hal.ts). */
const FIRMWARE_MODULES = ["@board", "@parts", "Flash", "Wifi", "net", "tls", "dgram", "Storage", "crypto"];
/** The part descriptors (docs/architecture.md "Parts described once"): data that the Node side
 *  (tools/: validator, build; sim/: virtual parts by type) reads, so tools/ and sim/ may import
 *  them. The device side takes only their types (`import type`): the validation tables never
 *  reach the bundle. */
const DESCRIPTORS = ["drivers/parts.ts", "drivers/*/part.spec.ts"];

interface Exception {
  /** a file ("sim/commands/track.ts") or a folder ending in "/" ("sim/acquirer/") */
  from: string;
  /** a file ("drivers/emv/tlv.ts") or a folder ending in "/" */
  to: string;
  why: string;
}

/** Named exceptions to the rule, each with its reason (the same list as docs/architecture.md).
 *  Every one must still be used: the test fails on one that is not. */
const EXCEPTIONS: Exception[] = [
  // sim/ -> tools/: the simulator checks what it is given with the toolchain's own checks
  { from: "sim/parts/registry.ts", to: "tools/parts.ts", why: "virtual parts by type from the part descriptors, found as the validator and the build find them" },
  { from: "sim/harness.ts", to: "tools/board.ts", why: "the simulator loads boards with the build's validator (loadBoard), so it never wires a board the build would reject" },
  { from: "sim/commands/journal-image.ts", to: "tools/board.ts", why: "pos-sim journal-image takes the journal region from the validated board" },
  { from: "sim/commands/sim.ts", to: "tools/gate.ts", why: "pos-sim sim refuses a bundle the dialect gate rejects (one built by hand or by an older toolchain)" },
  // sim/ -> drivers/, firmware/: pure code reused where a second copy could drift
  { from: "sim/commands/track.ts", to: "drivers/magstripe/track.ts", why: "pos-sim track decodes with the reader's own decoder" },
  { from: "sim/commands/track.ts", to: "drivers/magstripe/encode.ts", why: "pos-sim track re-encodes ASCII tracks to bits" },
  { from: "sim/commands/track.ts", to: "drivers/magstripe/fields.ts", why: "pos-sim track splits fields as the terminal does" },
  { from: "sim/commands/track.ts", to: "firmware/util/mask.ts", why: "PANs in tool output are masked exactly as on the terminal" },
  { from: "sim/commands/tlv.ts", to: "drivers/emv/tlv.ts", why: "pos-sim tlv parses with the reader's own BER-TLV parser" },
  { from: "sim/cards/emv-mask.ts", to: "drivers/emv/tlv.ts", why: "masking PAN-bearing EMV tags in tool output walks the TLV tree with the same parser" },
  { from: "sim/cards/waveform.ts", to: "drivers/magstripe/encode.ts", why: "the virtual magstripe reader's bits come from the pure track encoder (inverse of the decoder under test)" },
  { from: "sim/parts/pn532.ts", to: "drivers/pn532/frame.ts", why: "the virtual PN532 frames with the pure frame codec (which test/unit/pn532-frame.test.ts cross-checks against the pn532 package)" },
  { from: "sim/commands/journal-image.ts", to: "firmware/journal/journal.ts", why: "journal images are written by the firmware's own journal code, so their format cannot drift" },
  { from: "sim/scenario/screen-text.ts", to: "firmware/ui/font-data.ts", why: "reading text back off the panel needs the glyphs the firmware draws" },
  { from: "sim/scenario/target-sim.ts", to: "firmware/app/settings.ts", why: "the default host, port and TID the simulated network and acquirer must answer on" },
  { from: "sim/update/image.ts", to: "firmware/update/protocol.ts", why: "the update server frames, digests and signs with the terminal's own protocol code, so the two cannot drift" },
  { from: "sim/update/server.ts", to: "firmware/update/protocol.ts", why: "the update server frames with the terminal's own protocol code" },
  { from: "sim/update/serial.ts", to: "firmware/update/protocol.ts", why: "the serial update sends the data in the protocol's piece size" },
  { from: "sim/update/install.ts", to: "firmware/update/bootctl.ts", why: "the first boot-control snapshot the simulated board boots from is encoded by the loader's own code" },
  { from: "sim/commands/update-serial.ts", to: "tools/flash.ts", why: "pos-sim update-serial opens the port with make flash's own serial link" },
  // sim/ -> a top-level file
  { from: "sim/commands/version.ts", to: "package.json", why: "pos-sim version prints the package version" },
];

/** Exceptions on their way out: the work removing them is under way. Delete an entry when its
 *  import is gone (the test then lists it as pending instead of passing). */
const PENDING: Exception[] = [
  // none now (sim/acquirer/ -> firmware/host/ is gone: the acquirer has its own codec)
];

interface Import { file: string; line: number; spec: string; target: Target; to: string; typeOnly: boolean }

function partOf(rel: string): Target {
  const top = rel.split("/")[0]!;
  if ((PARTS as readonly string[]).indexOf(top) >= 0) return top as Part;
  return "(top level)";
}

function resolveRelative(fromFile: string, spec: string): string {
  const base = path.resolve(path.dirname(path.join(ROOT, fromFile)), spec);
  for (const c of [base, base + ".ts", base + ".d.ts", base + ".js", base + ".json", path.join(base, "index.ts")]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return path.relative(ROOT, c).split(path.sep).join("/");
  }
  return path.relative(ROOT, base).split(path.sep).join("/");
}

/** The imports of one file (repository-relative name, source text). */
export function importsOf(file: string, text: string): Import[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => {
    const before = text.slice(0, f.pos);
    const line = before.split("\n").length;
    // `import type ... from` / `export type ... from`: erased by the compiler
    const stmt = before.slice(Math.max(before.lastIndexOf("import"), before.lastIndexOf("export")));
    const typeOnly = /^(import|export)\s+type\b/.test(stmt);
    if (f.fileName.startsWith(".")) {
      const to = resolveRelative(file, f.fileName);
      return { file, line, spec: f.fileName, target: to.startsWith("..") ? "(top level)" : partOf(to), to, typeOnly };
    }
    return { file, line, spec: f.fileName, target: "(package)" as Target, to: f.fileName, typeOnly };
  });
}

/** a file, a folder ending in "/", or a path with "*" for one folder name */
function matches(pattern: string, name: string): boolean {
  if (pattern.endsWith("/")) return name.startsWith(pattern);
  if (pattern.indexOf("*") >= 0) return new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+") + "$").test(name);
  return name === pattern;
}

/** Why an import breaks the rule, or "" when it keeps it. */
export function problemOf(imp: Import, exceptions: Exception[] = EXCEPTIONS.concat(PENDING)): string {
  const from = partOf(imp.file) as Part;
  if (from === "test") return "";
  const excused = exceptions.some((e) => matches(e.from, imp.file) && matches(e.to, imp.to));
  if (excused) return "";
  if (DESCRIPTORS.some((d) => matches(d, imp.to))) {
    if (from === "tools" || from === "sim") return "";
    const isDescriptor = DESCRIPTORS.some((d) => matches(d, imp.file));
    if ((from === "firmware" || from === "drivers") && !isDescriptor && matches(DESCRIPTORS[1]!, imp.to) && !imp.typeOnly) {
      return `device code takes only the types of a part descriptor (import type): its tables stay out of the bundle`;
    }
  }
  if (imp.target === "(package)") {
    if (from === "firmware" && FIRMWARE_MODULES.indexOf(imp.spec) >= 0) return "";
    if (MAY_IMPORT[from].indexOf("(package)") >= 0) return "";
    return `${from}/ imports no package or Node module (firmware: only ${FIRMWARE_MODULES.join(", ")})`;
  }
  if (MAY_IMPORT[from].indexOf(imp.target) < 0) {
    return `${from}/ may not import ${imp.target === "(top level)" ? imp.to : imp.target + "/"} ` +
      `(${from}/ imports ${MAY_IMPORT[from].filter((t) => t !== "(package)").map((t) => t + "/").join(", ")}${MAY_IMPORT[from].indexOf("(package)") >= 0 ? " and packages" : ""})`;
  }
  if (imp.target === "boards" && from !== "boards" && imp.to !== BOARD_TYPES) return `${from}/ imports only ${BOARD_TYPES} of boards/`;
  return "";
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = dir + "/" + e.name;
      if (e.isDirectory()) { if (e.name !== "node_modules") walk(rel); }
      else if (/\.(ts|js|cjs|mjs)$/.test(e.name)) out.push(rel);
    }
  };
  for (const p of PARTS) if (fs.existsSync(path.join(ROOT, p))) walk(p);
  return out.sort();
}

const where = (i: Import): string => `${i.file}:${i.line}: import "${i.spec}"${i.spec === i.to ? "" : " (" + i.to + ")"}`;

describe("the import rule (docs/architecture.md)", () => {
  const files = sourceFiles();
  const all: Import[] = [];
  for (const f of files) all.push(...importsOf(f, fs.readFileSync(path.join(ROOT, f), "utf8")));

  it("reads every part's sources and their imports", () => {
    for (const p of PARTS) if (p !== "boards") assert.ok(files.some((f) => f.startsWith(p + "/")), `no source files in ${p}/`);
    assert.ok(files.length > 300, `only ${files.length} files`);
    const between = all.filter((i) => i.target !== "(package)").length;
    assert.ok(between > 700, `only ${between} imports between files`);
  });

  it("every import keeps the rule", () => {
    const bad = all.map((i) => ({ i, why: problemOf(i) })).filter((x) => x.why);
    assert.deepEqual(bad.map((x) => `${where(x.i)}: ${x.why}`), []);
  });

  it("every named exception is still used (delete the ones that are not, here and in docs/architecture.md)", () => {
    const unused = EXCEPTIONS.filter((e) => !all.some((i) => matches(e.from, i.file) && matches(e.to, i.to)));
    assert.deepEqual(unused.map((e) => `${e.from} -> ${e.to}`), []);
  });

  for (const e of PENDING) {
    it(`pending exception ${e.from} -> ${e.to} (${e.why}) is still used (listed as pending once it is not: then delete it)`, function () {
      if (!all.some((i) => matches(e.from, i.file) && matches(e.to, i.to))) this.skip();
    });
  }

  it("flags broken imports (the checker is not a no-op)", () => {
    const flagged = (file: string, src: string, exceptions?: Exception[]): string[] =>
      importsOf(file, src).map((i) => problemOf(i, exceptions)).filter((w) => w);
    // drivers/: no firmware/, sim/, Node modules or packages, in any import form
    assert.equal(flagged("drivers/keypad/fake.ts", 'import { startApp } from "../../firmware/app/boot";').length, 1);
    assert.equal(flagged("drivers/keypad/fake.ts", 'export * from "../../sim/harness";').length, 1);
    assert.equal(flagged("drivers/keypad/fake.ts", 'var fs = require("fs");').length, 1);
    assert.equal(flagged("drivers/keypad/fake.ts", 'import type { Board } from "../../boards/types";').length, 1);
    assert.match(flagged("drivers/keypad/fake.ts", 'import("../../test/support/testbed");')[0] ?? "", /drivers\/ may not import test\//);
    // firmware/: Espruino modules yes, Node's fs and tools/ no
    assert.deepEqual(flagged("firmware/fake.ts", 'var f = require("Flash"); import { Ssd1306 } from "../drivers/ssd1306/ssd1306";'), []);
    assert.equal(flagged("firmware/fake.ts", 'import * as fs from "fs"; import { gate } from "../tools/gate";').length, 2);
    assert.equal(flagged("firmware/fake.ts", 'import board from "../boards/pos-esp32-v1.json";').length, 1);
    // sim/: never test/; tools/ and firmware/ only through the named exceptions
    assert.equal(flagged("sim/fake.ts", 'import { Testbed } from "../test/support/testbed";').length, 1);
    assert.equal(flagged("sim/fake.ts", 'import { build } from "../tools/build";').length, 1);
    assert.equal(flagged("sim/parts/fake.ts", 'import { decodeTrack } from "../../drivers/magstripe/track";').length, 1);
    // sim/acquirer/ -> firmware/ is forbidden by the rule, allowed only by the pending list
    const acq = 'import { pack } from "../../firmware/host/iso8583";';
    assert.equal(flagged("sim/acquirer/fake.ts", acq, EXCEPTIONS).length, 1);
    assert.equal(flagged("sim/acquirer/fake.ts", acq).length, PENDING.length ? 0 : 1);
    // part descriptors: Node reads them; the device side takes their types only
    assert.deepEqual(flagged("tools/fake.ts", 'import { SSD1306 } from "../drivers/ssd1306/part.spec"; import { ROLES } from "../drivers/parts";'), []);
    assert.deepEqual(flagged("sim/parts/fake.ts", 'import type { EscposEntry } from "../../drivers/escpos/part.spec";'), []);
    assert.deepEqual(flagged("drivers/escpos/part.ts", 'import type { EscposEntry } from "./part.spec";'), []);
    assert.match(flagged("drivers/escpos/part.ts", 'import { ESCPOS } from "./part.spec";')[0] ?? "", /import type/);
    assert.match(flagged("firmware/fake.ts", 'import {\n  ESCPOS,\n} from "../drivers/escpos/part.spec";')[0] ?? "", /import type/);
    assert.equal(flagged("sim/fake.ts", 'import { escpos } from "../drivers/escpos/part";').length, 1);
    // tools/: no sim/ or firmware/
    assert.equal(flagged("tools/fake.ts", 'import { createWorld } from "../sim/harness"; import { main } from "../firmware/main";').length, 2);
    // comments and strings are not imports; test/ may import anything
    assert.deepEqual(flagged("drivers/fake.ts", '// import x from "../sim/harness"\nvar s = "require(\\"fs\\")";'), []);
    assert.deepEqual(flagged("test/fake.test.ts", 'import { loadBoard } from "../tools/board"; import * as fs from "fs";'), []);
  });
});
