// probe-nfc.js: PN532 firmware version and RF field test (firmware/cards/nfc-probe.ts).
import { bringUp, makeReaders } from "../board";
import { runNfcProbe } from "../cards/nfc-probe";

var p = bringUp();
var readers = makeReaders(p, function () { return { amount: 0, date: "000101", unpredictable: 0, country: 0, currency: 0 }; });
runNfcProbe({ pn532: readers.pn532, io: p.io, log: p.log, seconds: 30 });
