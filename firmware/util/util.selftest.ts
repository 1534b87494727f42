import { test, eq } from "../../drivers/selftest/check";
import { formatAmount, parseDigits, zeroPad, MAX_AMOUNT } from "./money";
import { lastFour, maskedPan } from "./mask";

test("money: format groups thousands without floats", function () {
  eq(formatAmount(0), "0.00", "zero");
  eq(formatAmount(5), "0.05", "cents");
  eq(formatAmount(123456), "1,234.56", "thousands");
  eq(formatAmount(MAX_AMOUNT), "9,999,999.99", "max");
  eq(formatAmount(-1999), "-19.99", "negative");
});

test("money: keypad digits parse to minor units", function () {
  eq(parseDigits("1999"), 1999, "digits");
  eq(parseDigits(""), -1, "empty");
  eq(parseDigits("12a"), -1, "non-digit");
  eq(parseDigits("1234567890"), -1, "too long");
  eq(zeroPad(42, 6), "000042", "pad");
});

test("mask: only the last four digits survive", function () {
  eq(lastFour("4111111111111111"), "1111", "last four");
  eq(maskedPan("1111"), "**** **** **** 1111", "masked");
});
