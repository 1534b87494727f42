// The firmware's boot check of the interpreter and the flash map (firmware/app/platform.ts):
// what main.ts shows as BOARD MISMATCH instead of opening the journal.
import { strict as assert } from "assert";
import { platformFault, versionNumber } from "../../firmware/app/platform";
import { loadBoardFile } from "../../tools/board";

describe("platform check at boot", () => {
  const board = loadBoardFile("pos-esp32-v1").board;
  const esp32Free = [{ addr: 0x310000, length: 0x10000 }, { addr: 0x360000, length: 0xa0000 }];

  it("versions: 2v29 = 2029, cutting-edge builds count as their release", () => {
    assert.equal(versionNumber("2v29"), 2029);
    assert.equal(versionNumber("2v29.277"), 2029);
    assert.ok(versionNumber("2v30") > versionNumber("2v29"));
    assert.ok(versionNumber("3v01") > versionNumber("2v99"));
    assert.ok(isNaN(versionNumber("v1.22.0")));
  });

  it("passes on the ESP32's getFree() and on the twin's (whole flash)", () => {
    assert.equal(platformFault(board, "2v29", esp32Free), "");
    assert.equal(platformFault(board, "2v29.277", [{ addr: 0, length: 4194304 }]), "");
  });

  it("an older interpreter, a journal outside raw flash or inside Storage: one short line", () => {
    assert.equal(platformFault(board, "2v28", esp32Free), "Espruino 2v28 < 2v29");
    assert.equal(platformFault(board, "nonsense", esp32Free), "Espruino nonsense < 2v29");
    assert.equal(platformFault(board, "2v29", [{ addr: 0x360000, length: 0xa0000 }]), "journal not raw flash");
    const inStorage = { ...board, flashRegions: { ...board.flashRegions, journal: { base: 0x360000, sectors: 16, sectorSize: 4096 } } };
    assert.equal(platformFault(inStorage, "2v29", esp32Free), "journal in Storage");
    // every message fits the 21-character screen line
    for (const m of ["Espruino 2v28.123 < 2v29", "journal not raw flash", "journal in Storage"]) assert.ok(m.length <= 24, m);
  });
});
