// The application's flow against in-memory ports (test/support/fake-ports.ts): every state,
// key and timeout, without the bundle. The same flow runs on the bundle in flow.test.ts.
import { strict as assert } from "assert";
import { FakeWorld, VISA, sha256Latin1, crc32, RamFlash } from "../support/fake-ports";
import { startApp } from "../../firmware/app/boot";
import { SettingsStore, configure } from "../../firmware/app/settings";
import { hmacSha256, toHex } from "../../firmware/app/hmac";
import { tokenizePan } from "../../firmware/app/token";
import { App } from "../../firmware/app/flow";
import { MAX_FAILS, LOCK_SECONDS } from "../../firmware/app/pin";

const REGION = { base: 0xe000, sectors: 2, sectorSize: 4096 };

function boot(w: FakeWorld): App {
  const settings = new SettingsStore({ flash: w.flash, region: REGION, crc32 });
  return startApp(w.ports(), settings);
}

function sale(w: FakeWorld, amount: string): void {
  w.keys(amount);
  w.key("ENTER");
  assert.equal(w.screen.title, "SALE");
  assert.match(w.screenText(), /Swipe or tap/);
  w.presentCard({ ...VISA });
}

describe("app flow (fake ports)", () => {
  it("boots to READY and provisions a salted PIN hash and a token key", () => {
    const w = new FakeWorld();
    const app = boot(w);
    assert.equal(app.state!.name, "idle");
    assert.equal(w.screen.title, "READY");
    const v = app.settings.values;
    assert.equal(v.pinSalt.length, 32);
    assert.equal(v.pinHash.length, 64);
    assert.equal(v.deviceKey.length, 64);
    assert.ok(!Buffer.from(w.flash.mem).toString("latin1").includes('"1234"'), "PIN in clear");
  });

  it("sale approved: merchant copy, customer copy on ENTER, back to idle", () => {
    const w = new FakeWorld();
    boot(w);
    sale(w, "1999");
    assert.equal(w.hostRequests.length, 1);
    const req = w.hostRequests[0]!;
    assert.equal(req.amount, 1999);
    assert.equal(req.last4, "1111");
    assert.match(req.token!, /^[0-9a-f]{32}$/);
    assert.ok(!req.token!.includes("4111111111111111"));
    assert.deepEqual(w.printed, [{ invoice: 1, copy: "merchant", reprint: false }]);
    assert.equal(w.screen.title, "APPROVED");
    assert.match(w.screenText(), /Customer copy/);
    w.key("ENTER");
    assert.deepEqual(w.printed[1], { invoice: 1, copy: "customer", reprint: false });
    assert.equal(w.screen.title, "READY");
    assert.equal(w.receiptOpen, -1);
  });

  it("the card handed to the host is wiped once it answered: PAN, track 2 and expiry", () => {
    const w = new FakeWorld();
    boot(w);
    const card = { ...VISA };
    w.keys("1999");
    w.key("ENTER");
    w.presentCard(card);
    assert.equal(w.hostRequests[0]!.card!.expiry, "3012", "the request had it");
    assert.deepEqual([card.pan, card.track2, card.expiry], ["", "", ""]);
  });

  it("the same card gives the same token; another device key another", () => {
    const key1 = "11".repeat(32), key2 = "22".repeat(32);
    const a = tokenizePan(sha256Latin1, key1, VISA.pan), b = tokenizePan(sha256Latin1, key1, VISA.pan);
    const c = tokenizePan(sha256Latin1, key2, VISA.pan);
    assert.equal(a.token, b.token);
    assert.notEqual(a.token, c.token);
    assert.equal(a.last4, "1111");
  });

  it("HMAC-SHA256 matches RFC 4231 test case 2", () => {
    const mac = toHex(hmacSha256(sha256Latin1, "Jefe", "what do ya want for nothing?"));
    assert.equal(mac, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("declined sale shows DECLINED with the RC and prints nothing", () => {
    const w = new FakeWorld();
    boot(w);
    w.hostReply = { rc: "05" };
    sale(w, "500");
    assert.equal(w.screen.title, "DECLINED");
    assert.match(w.screenText(), /RC 05/);
    assert.equal(w.printed.length, 0);
    w.clock.advance(16);
    assert.equal(w.screen.title, "READY");
  });

  it("no response: says not charged, reversal pending", () => {
    const w = new FakeWorld();
    boot(w);
    w.hostReply = { err: "NO_RESPONSE" };
    sale(w, "500");
    assert.equal(w.screen.title, "NO RESPONSE");
    assert.match(w.screenText(), /reversal pending/);
    assert.equal(w.printed.length, 0);
  });

  it("READY says when a reversal is still owed to the host", () => {
    const w = new FakeWorld();
    w.reversalPending = true;
    boot(w);
    assert.match(w.screenText(), /Reversal pending/);
  });

  it("amount limits, CLEAR and 00", () => {
    const w = new FakeWorld();
    boot(w);
    w.keys("5"); w.key("ENTER");
    assert.match(w.screenText(), /Min 1\.00/);
    w.key("CLEAR"); w.keys("9999"); w.key("00"); w.key("ENTER");
    assert.match(w.screenText(), /Max 5,000\.00/);
    assert.equal(w.screen.lines[1], "9,999.00");
    w.key("CLEAR"); w.key("CLEAR"); w.key("CLEAR");
    assert.equal(w.screen.lines[1], "9.99");
    w.key("CANCEL");
    assert.equal(w.screen.title, "READY");
  });

  it("timeouts: amount entry and present card fall back to idle and stop the reader", () => {
    const w = new FakeWorld();
    boot(w);
    w.keys("100");
    w.clock.advance(29);
    assert.equal(w.screen.title, "SALE");
    w.clock.advance(2);
    assert.equal(w.screen.title, "READY");
    w.keys("100"); w.key("ENTER");
    assert.ok(w.reading);
    w.clock.advance(31);
    assert.equal(w.screen.title, "READY");
    assert.ok(!w.reading, "reader still armed");
  });

  it("a bad read asks again; CANCEL at present card stops", () => {
    const w = new FakeWorld();
    boot(w);
    w.keys("100"); w.key("ENTER");
    w.badRead();
    assert.match(w.screenText(), /Swipe again/);
    assert.ok(w.reading);
    w.key("CANCEL");
    assert.equal(w.screen.title, "READY");
    assert.ok(!w.reading);
    assert.equal(w.hostRequests.length, 0);
  });

  it("void: PIN, invoice, confirm", () => {
    const w = new FakeWorld();
    boot(w);
    sale(w, "1999"); w.key("CANCEL");
    w.key("MENU"); w.key("1");
    assert.equal(w.screen.title, "SUPERVISOR PIN");
    w.keys("1234");
    assert.equal(w.screen.lines[1], "****_");
    w.key("ENTER");
    assert.equal(w.screen.title, "VOID");
    w.keys("7"); w.key("ENTER");
    assert.match(w.screenText(), /Not found/);
    w.keys("1"); w.key("ENTER");
    assert.equal(w.screen.title, "VOID?");
    assert.match(w.screenText(), /\*\*\*\* 1111/);
    w.key("ENTER");
    assert.equal(w.hostRequests[1]!.kind, "VOID");
    assert.equal(w.hostRequests[1]!.invoice, 1);
    assert.equal(w.txns[0]!.state, "VOIDED");
    assert.equal(w.printed[w.printed.length - 1]!.copy, "merchant");
  });

  it("wrong PINs lock the supervisor out, and a reboot does not reset the count", () => {
    const w = new FakeWorld();
    boot(w);
    for (let i = 0; i < MAX_FAILS; i++) {
      w.key("MENU"); w.key("6"); w.keys("9999"); w.key("ENTER");
      if (i < MAX_FAILS - 1) { assert.match(w.screenText(), /Wrong PIN/); w.key("CANCEL"); w.key("CANCEL"); }
    }
    assert.equal(w.screen.title, "PIN LOCKED");
    w.clock.advance(11);
    const app2 = boot(w); // reboot on the same flash
    assert.equal(app2.settings.values.pinFails, MAX_FAILS);
    w.key("MENU"); w.key("6");
    assert.equal(w.screen.title, "PIN LOCKED");
    w.clock.advance(LOCK_SECONDS + 1);
    w.key("MENU"); w.key("6"); w.keys("1234"); w.key("ENTER");
    assert.equal(w.screen.title, "SETTLE?");
    assert.equal(app2.settings.values.pinFails, 0);
  });

  it("refund asks for the PIN and a confirmation", () => {
    const w = new FakeWorld();
    boot(w);
    w.key("MENU"); w.key("2"); w.keys("1234"); w.key("ENTER");
    assert.equal(w.screen.title, "REFUND");
    w.keys("250"); w.key("ENTER");
    assert.equal(w.screen.title, "REFUND?");
    w.key("ENTER");
    w.presentCard({ ...VISA, entryMode: "071" });
    assert.equal(w.hostRequests[0]!.kind, "REFUND");
    assert.equal(w.screen.title, "APPROVED");
  });

  it("reprint last and by invoice are marked REPRINT", () => {
    const w = new FakeWorld();
    boot(w);
    sale(w, "100"); w.key("CANCEL");
    sale(w, "200"); w.key("CANCEL");
    w.key("MENU"); w.key("3"); w.keys("1111"); w.key("ENTER"); w.key("1");
    assert.deepEqual(w.printed[w.printed.length - 1], { invoice: 2, copy: "merchant", reprint: true });
    w.key("MENU"); w.key("3"); w.keys("1111"); w.key("ENTER"); w.key("2"); w.keys("1"); w.key("ENTER");
    assert.deepEqual(w.printed[w.printed.length - 1], { invoice: 1, copy: "merchant", reprint: true });
  });

  it("X report keeps the shift, Z report closes it", () => {
    const w = new FakeWorld();
    boot(w);
    sale(w, "100"); w.key("CANCEL");
    w.key("MENU"); w.key("4"); w.keys("1111"); w.key("ENTER");
    assert.equal(w.reports[0]!.title, "X REPORT");
    assert.equal(w.reports[0]!.totals.saleAmount, 100);
    w.key("MENU"); w.key("5"); w.keys("1111"); w.key("ENTER"); w.key("ENTER");
    assert.equal(w.reports[1]!.title, "Z REPORT");
    assert.match(w.screenText(), /Shift closed/);
    w.key("ENTER");
    w.key("MENU"); w.key("4"); w.keys("1111"); w.key("ENTER");
    assert.equal(w.reports[2]!.totals.saleCount, 0);
  });

  it("settlement, echo and logon", () => {
    const w = new FakeWorld();
    boot(w);
    sale(w, "100"); w.key("CANCEL");
    w.key("MENU"); w.key("6"); w.keys("1234"); w.key("ENTER"); w.key("ENTER");
    assert.equal(w.reports[0]!.title, "SETTLEMENT");
    assert.equal(w.reports[0]!.totals.saleAmount, 100);
    assert.equal(w.screen.title, "SETTLED");
    w.key("ENTER");
    w.key("MENU"); w.key("7");
    assert.equal(w.screen.title, "ECHO TEST OK");
    w.key("ENTER"); w.key("MENU"); w.key("8");
    assert.equal(w.screen.title, "LOGON OK");
  });

  it("paper out mid-receipt: ENTER after loading paper reprints marked REPRINT", () => {
    const w = new FakeWorld();
    boot(w);
    w.paperOut = true;
    sale(w, "100");
    assert.equal(w.screen.title, "PAPER OUT");
    assert.equal(w.receiptOpen, 1, "receipt must stay unfinished");
    w.paperOut = false;
    w.key("ENTER");
    assert.deepEqual(w.printed[0], { invoice: 1, copy: "merchant", reprint: true });
    assert.equal(w.receiptOpen, -1);
  });

  it("an unfinished receipt is reprinted on boot", () => {
    const w = new FakeWorld();
    boot(w);
    w.paperOut = true;
    sale(w, "100");
    w.paperOut = false;
    boot(w); // power cut with the receipt open
    assert.equal(w.screen.title, "RECEIPT");
    w.clock.advance(4);
    assert.deepEqual(w.printed[w.printed.length - 1], { invoice: 1, copy: "merchant", reprint: true });
    assert.equal(w.screen.title, "READY");
    assert.equal(w.receiptOpen, -1);
  });

  it("a journal fault refuses to transact until the supervisor recovers it", () => {
    const w = new FakeWorld();
    w.journalFault = "CRC error in sector 3";
    boot(w);
    assert.equal(w.screen.title, "JOURNAL FAULT");
    w.keys("100"); w.key("ENTER");
    assert.equal(w.screen.title, "JOURNAL FAULT");
    w.key("MENU"); w.keys("1234"); w.key("ENTER");
    w.keys("120"); w.key("ENTER");
    w.keys("7"); w.key("ENTER");
    w.keys("3"); w.key("ENTER");
    assert.deepEqual(w.recovered, [120, 7, 3]);
    w.clock.advance(6);
    assert.equal(w.screen.title, "READY");
  });

  it("settings survive a power cut at every flash operation of a save", () => {
    const w = new FakeWorld();
    const mk = () => new SettingsStore({ flash: w.flash, region: REGION, crc32 });
    const s = mk(); s.load(); s.values.tid = "OLD00001"; assert.equal(s.save(), null);
    const image = w.flash.mem.slice();
    let cuts = 0;
    for (let op = 0; ; op++) {
      w.flash.mem.set(image);
      const a = mk(); a.load(); a.values.tid = "NEW00002";
      w.flash.ops = 0; w.flash.cutAt = op;
      let cut = false;
      try { a.save(); } catch { cut = true; }
      w.flash.cutAt = -1;
      const b = mk();
      assert.ok(b.load(), "no valid copy after cut at op " + op);
      assert.ok(b.values.tid === "OLD00001" || b.values.tid === "NEW00002", "tid " + b.values.tid);
      if (!cut) { assert.equal(b.values.tid, "NEW00002"); break; }
      cuts++;
    }
    assert.ok(cuts > 10, "cut points " + cuts);
  });

  it("console provisioning sets configurable fields only, type-checked, and persists them", () => {
    const flash = new RamFlash(0xe000, 8192);
    const s = new SettingsStore({ flash, region: REGION, crc32 }); s.load();
    assert.equal(configure(s, "ssid", "shop-wifi"), null);
    assert.equal(configure(s, "port", 7000), null);
    assert.match(configure(s, "port", "7000")!, /must be a number/);
    assert.match(configure(s, "pinHash", "00")!, /not configurable/);
    assert.match(configure(s, "maxAmount", 1.5)!, /whole number/);
    const t = new SettingsStore({ flash, region: REGION, crc32 }); t.load();
    assert.equal(t.values.ssid, "shop-wifi");
    assert.equal(t.values.port, 7000);
  });

  it("a corrupted copy falls back to the other one", () => {
    const flash = new RamFlash(0xe000, 8192);
    const s = new SettingsStore({ flash, region: REGION, crc32 }); s.load();
    s.values.tid = "A"; s.save(); s.values.tid = "B"; s.save();
    flash.mem[4096 + 20] = 0; // payload byte of the newer copy (sector 1)
    const t = new SettingsStore({ flash, region: REGION, crc32 }); t.load();
    assert.equal(t.values.tid, "A");
  });
});
