import { test, eq, ok } from "../../drivers/selftest/check";
import { sanitize, truncate, wrap, centreX, LINE_CHARS } from "./text";
import { bigWidth, smallWidth, ELLIPSIS } from "./fonts";
import { menuWindow } from "./screens";

test("ui: small font is fixed pitch, 21 characters fill the panel", function () {
  eq(smallWidth("Hello"), 30, "5 chars");
  ok(smallWidth(new Array(LINE_CHARS + 1).join("x")) <= 128, "a full line fits 128 px");
  eq(centreX(30), 49, "centre");
});

test("ui: big digits measure amounts; unknown characters are refused", function () {
  eq(bigWidth("0"), 12, "digit cell");
  eq(bigWidth("1,234.56"), 6 * 12 + 4 + 4, "amount");
  ok(bigWidth("9,999,999.99") <= 124, "largest amount fits");
  eq(bigWidth("EUR"), -1, "letters are not in the big font");
});

test("ui: truncate and sanitize", function () {
  eq(truncate("short", 10), "short", "fits");
  eq(truncate("abcdefghij", 5), "abcd" + ELLIPSIS, "cut with ellipsis");
  eq(sanitize("a\tb" + String.fromCharCode(233)), "a?b?", "unprintables");
});

test("ui: wrap at spaces, split long words, ellipsis past the last line", function () {
  var w = wrap("Insert, swipe or tap the card", 20, 4);
  eq(w.length, 2, "two lines");
  eq(w[0], "Insert, swipe or tap", "first line");
  eq(w[1], "the card", "second line");
  var long = wrap("abcdefghijklmnopqrstuvwxyz", 10, 4);
  eq(long.join("|"), "abcdefghij|klmnopqrst|uvwxyz", "split word");
  var over = wrap("a b c d e f", 1, 3);
  eq(over.length, 3, "clipped to 3");
  eq(over[2], ELLIPSIS, "last line marks the cut");
  eq(wrap("   ", 10, 2).length, 0, "blank");
});

test("ui: menu window keeps the selection visible", function () {
  eq(menuWindow(3, 2, 5), 0, "short list");
  eq(menuWindow(7, 4, 5), 0, "still on first page");
  eq(menuWindow(7, 6, 5), 2, "scrolled to the end");
});
