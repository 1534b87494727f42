// Bring-up probe for the PN532: firmware version, SAM configuration, RF field test (field on,
// poll for targets and list each one's UID/ATQA/SAK, SELECT PPSE on ISO-DEP cards, field
// off), then statistics. Lines start with "nfc:". No card data is printed (AID and status
// words only).
import { Io } from "../../drivers/hal";
import { Pn532, Target } from "../../drivers/pn532/pn532";
import { fromHex, toHex } from "../../drivers/hex";
import { chooseAid } from "../../drivers/emv/apdu";

export interface NfcProbeOptions {
  pn532: Pn532 | null;
  io: Io;
  log: (line: string) => void;
  /** seconds of polling in the RF field test */
  seconds?: number;
  done?: (faults: number) => void;
}

function hex2(n: number): string { return (n < 16 ? "0" : "") + n.toString(16).toUpperCase(); }

export function runNfcProbe(o: NfcProbeOptions): void {
  var log = o.log, faults = 0, targets = 0, polls = 0;
  var end = 0, last = "";
  if (!o.pn532) { log("nfc: no PN532 on this board"); if (o.done) o.done(1); return; }
  var pn: Pn532 = o.pn532;
  function finish(): void {
    pn.rfField(false, function (e) {
      if (e) { faults++; log("nfc: RF off failed: " + e.message); } else log("nfc: RF field off");
      log("nfc: probe done, " + polls + " polls, " + targets + " targets, " + faults + " faults");
      if (o.done) o.done(faults);
    });
  }
  function ppse(t: Target): void {
    pn.inDataExchange(t.tg, fromHex("00A404000E325041592E5359532E444446303100")!, 600, function (e, r) {
      if (e) log("nfc: SELECT PPSE failed: " + e.code);
      else {
        var n = r!.length - 2;
        var aid = n > 0 ? chooseAid(r!, n) : "";
        log("nfc: SELECT PPSE sw " + hex2(r![n]!) + hex2(r![n + 1]!) + (aid ? " aid " + aid : " (no payment application)"));
      }
      o.io.setTimeout(poll, 100);
    });
  }
  function poll(): void {
    if (o.io.getTime() >= end) return finish();
    polls++;
    pn.inListPassiveTarget(400, function (e, t) {
      if (e) { faults++; log("nfc: poll error " + e.code); }
      if (!t) { last = ""; o.io.setTimeout(poll, 100); return; }
      var uid = toHex(t.uid);
      if (uid === last) { o.io.setTimeout(poll, 100); return; }
      last = uid;
      targets++;
      log("nfc: target uid " + uid + " atqa " + hex2(t.sensRes >> 8) + hex2(t.sensRes & 255) + " sak " + hex2(t.selRes) + (t.isoDep ? " iso-dep" : ""));
      if (!t.isoDep) { o.io.setTimeout(poll, 100); return; }
      ppse(t);
    });
  }
  pn.getFirmwareVersion(function (e, v) {
    if (e) { log("nfc: PN532 not answering (" + e.message + "): check wiring, I2C mode switches, 3.3 V"); if (o.done) o.done(1); return; }
    log("nfc: PN532 IC 0x" + hex2(v!.ic) + " firmware " + v!.version + "." + v!.revision + " support 0x" + hex2(v!.support));
    pn.samConfiguration(function (e2) {
      if (e2) { faults++; log("nfc: SAMConfiguration failed: " + e2.message); }
      pn.setRetries(1, function () {
        pn.rfField(true, function (e3) {
          if (e3) { faults++; log("nfc: RF on failed: " + e3.message); return finish(); }
          log("nfc: RF field on, polling " + (o.seconds || 10) + " s: tap cards");
          end = o.io.getTime() + (o.seconds || 10);
          poll();
        });
      });
    });
  });
}
