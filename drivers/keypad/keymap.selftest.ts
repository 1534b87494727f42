import { test, eq, ok } from "../selftest/check";
import { keymapError, keyName, keyBit, bitCount, lowestBit, isAmbiguous, describeHits } from "./keymap";

var KEYS = [["1", "2", "3", "CANCEL"], ["4", "5", "6", "CLEAR"], ["7", "8", "9", "ENTER"], ["FUNC", "0", "00", "MENU"]];

test("keymap: names and bits round-trip; bad maps are explained", function () {
  eq(keymapError(KEYS, 4, 4), null, "board map");
  ok(keymapError(KEYS, 4, 3) !== null, "column count mismatch");
  ok(keymapError([["1"]], 2, 1) !== null, "row count mismatch");
  eq(keyName(KEYS, 7, 4), "CLEAR", "bit 7");
  eq(keyBit(KEYS, "0"), 13, "key 0");
  eq(keyBit(KEYS, "X"), -1, "unknown key");
  eq(bitCount(0x8421), 4, "bit count");
  eq(lowestBit(0x30), 4, "lowest bit");
  eq(describeHits(0x21, 4, 4), "r0c0 r1c1", "describe");
});

test("keymap: two keys never ghost, three at rectangle corners do", function () {
  ok(!isAmbiguous(0x0001 | 0x0020, 4, 4), "diagonal pair");
  ok(!isAmbiguous(0x0001 | 0x0010, 4, 4), "same column pair");
  ok(!isAmbiguous(0x000f, 4, 4), "one whole row");
  ok(isAmbiguous(0x0003 | 0x0030, 4, 4), "rectangle r0/r1 x c0/c1");
  ok(isAmbiguous(0x0009 | 0x9000, 4, 4), "rectangle r0/r3 x c0/c3");
});
