// The MAC on financial messages (docs/host-protocol.md §1.4): the terminal's MAC against Node's
// crypto, the acquirer refusing tampered and unMACed requests, and the engine treating a bad
// response MAC as a garbled reply (not approved, reversal kept until delivered).
import { strict as assert } from "assert";
import { createHmac } from "node:crypto";
import { makeWorld, card, TEST_MAC, SETTINGS } from "./world";
import { macFunction } from "../../firmware/app/hmac";
import { packMacked, createLink } from "../../firmware/host/link";
import { pack, IsoMsg } from "../../firmware/host/iso8583";
import { sha256Latin1 } from "../support/fake-ports";
import { TEST_MAC_KEY, encodeMacked, macProblem } from "../../sim/acquirer/mac";
import { decode } from "../../sim/acquirer/iso8583";
import { Acquirer } from "../../sim/acquirer/acquirer";
import { configure, SettingsStore } from "../../firmware/app/settings";

const nodeMac = (keyHex: string, data: Uint8Array) => createHmac("sha256", Buffer.from(keyHex, "hex")).update(data).digest().subarray(0, 8);

function saleMsg(): IsoMsg {
  return { mti: "0200", f: { 3: "000000", 4: "000000001500", 11: "000042", 22: "021", 24: "123", 25: "00", 35: "4111111111111111=30121011234567890", 41: SETTINGS.tid, 42: SETTINGS.mid, 62: "000007" } };
}
const DE4_LAST = 2 + 8 + 3 + 5; // MTI, bitmap, DE 3, then DE 4's last byte (no DE 2)

function answer(acq: Acquirer, wire: Uint8Array): { mti: string; rc: string; f: any; body: Buffer } {
  let out = "";
  acq.respond(decode(wire), "0123", (s) => { out += s; }, () => {}, undefined, wire);
  const body = Buffer.from(out, "latin1").subarray(7);
  const m = decode(body);
  return { mti: m.mti, rc: String(m.f[39]), f: m.f, body };
}

describe("host MAC (DE 64, HMAC-SHA-256 truncated to 8 bytes)", () => {
  it("macFunction equals Node's HMAC-SHA-256, first 8 bytes (known vector)", () => {
    const mac = macFunction(sha256Latin1, TEST_MAC_KEY)!;
    for (const data of ["", "abc", "\x02\x00\xff".repeat(50), "x".repeat(200)]) {
      const want = nodeMac(TEST_MAC_KEY, Buffer.from(data, "latin1"));
      assert.equal(Buffer.from(mac(data), "latin1").toString("hex"), want.toString("hex"));
    }
    // another key and message (RFC 4231 case 2's message; the key repeated to 16 bytes)
    const jefe = macFunction(sha256Latin1, Buffer.from("Jefe".repeat(4)).toString("hex"))!;
    assert.equal(Buffer.from(jefe("what do ya want for nothing?"), "latin1").toString("hex"),
      nodeMac(Buffer.from("Jefe".repeat(4)).toString("hex"), Buffer.from("what do ya want for nothing?")).toString("hex"));
  });

  it("keys must be 16..32 bytes of hex; posConfig takes macKey and checks it", () => {
    assert.equal(macFunction(sha256Latin1, ""), null);
    assert.equal(macFunction(sha256Latin1, "00112233"), null);
    assert.equal(macFunction(sha256Latin1, "zz".repeat(16)), null);
    assert.equal(macFunction(sha256Latin1, "ab".repeat(33)), null);
    assert.ok(macFunction(sha256Latin1, "ab".repeat(16)));
    const saved: string[] = [];
    const store = { values: { macKey: TEST_MAC_KEY }, save: () => { saved.push("x"); return null; } } as unknown as SettingsStore;
    assert.match(configure(store, "macKey", "1234")!, /32\.\.64 hex/);
    assert.match(configure(store, "macKey", "g".repeat(32))!, /32\.\.64 hex/);
    assert.equal(configure(store, "macKey", "ab".repeat(16)), null);
    assert.equal(store.values.macKey, "ab".repeat(16));
  });

  it("the MAC covers MTI, bitmap (bit 64 set) and every element before DE 64; both sides agree", () => {
    const b = packMacked(saleMsg(), TEST_MAC);
    const acqBytes = encodeMacked(decode(pack(saleMsg())), TEST_MAC_KEY);
    assert.equal(Buffer.from(b).toString("hex"), acqBytes.toString("hex"));
    assert.equal(b[2 + 7]! & 1, 1, "bitmap bit 64");
    assert.equal(Buffer.from(b.subarray(b.length - 8)).toString("hex"), nodeMac(TEST_MAC_KEY, b.subarray(0, b.length - 8)).toString("hex"));
    assert.equal(macProblem(decode(b), b, TEST_MAC_KEY), null);
  });

  it("the acquirer answers A0 to a tampered or unMACed request, processes none, MACs good replies", () => {
    const acq = new Acquirer();
    const good = Buffer.from(packMacked(saleMsg(), TEST_MAC));
    const tampered = Buffer.from(good);
    tampered[DE4_LAST] = 0x01; // DE 4 1500 -> 1501, after MACing
    assert.equal(decode(tampered).f[4], "000000001501");
    let r = answer(acq, tampered);
    assert.deepEqual([r.mti, r.rc, r.f[64]], ["0210", "A0", undefined]);
    r = answer(acq, Buffer.from(pack(saleMsg())));
    assert.deepEqual([r.mti, r.rc, r.f[64]], ["0210", "A0", undefined]);
    assert.equal(acq.macFailures, 2);
    assert.equal(acq.ledger(SETTINGS.tid).all.length, 0, "nothing charged");
    r = answer(acq, good);
    assert.equal(r.rc, "00");
    assert.equal(Buffer.from(r.f[64]).toString("hex"), nodeMac(TEST_MAC_KEY, r.body.subarray(0, r.body.length - 8)).toString("hex"));
    // network management carries no MAC either way
    r = answer(acq, Buffer.from(pack({ mti: "0800", f: { 3: "990000", 11: "000043", 24: "123", 41: SETTINGS.tid } })));
    assert.deepEqual([r.rc, r.f[64]], ["00", undefined]);
    // the badMac fault: processed, reply MAC no longer verifies
    acq.inject({ fault: "badMac" });
    const m = saleMsg(); m.f[11] = "000044";
    r = answer(acq, Buffer.from(packMacked(m, TEST_MAC)));
    assert.equal(r.rc, "00");
    assert.equal(macProblem(decode(r.body), r.body, TEST_MAC_KEY), "MAC does not verify");
  });

  it("a bad response MAC is a garbled reply: not approved, reversal kept until a good MAC, then sent", () => {
    const w = makeWorld();
    w.acq.inject({ fault: "badMac", count: 2 }); // the 0210 and the immediate 0400's 0410
    const r = w.call<any>((cb) => w.engine.sale(card(1500), cb)).value;
    assert.equal(r.approved, false);
    assert.equal(r.outcome, "BAD_RESPONSE");
    assert.equal(r.reversalPending, true);
    assert.equal(w.engine.pendingWork().reversal, true);
    assert.equal(w.acq.macFailures, 0, "the terminal's requests were fine");
    assert.deepEqual(w.acq.trace.map((t) => t.mti), ["0200", "0400"]);
    const f = w.call<any>((cb) => w.engine.flush(cb)).value;
    assert.equal(f.reversalPending, false);
    assert.equal(w.engine.pendingWork().reversal, false);
    const l = w.acq.ledger(SETTINGS.tid);
    assert.equal(l.charges.length, 0);
    assert.equal(l.reversed, 1);
    assert.equal(w.call<any>((cb) => w.engine.sale(card(2000), cb)).value.approved, true);
  });

  it("a terminal with the wrong key is refused (A0) and never charged; one with no key sends nothing financial", () => {
    const w = makeWorld();
    const wrong = macFunction(sha256Latin1, "ff".repeat(32))!;
    w.link = createLink({ ...linkOpts(w), mac: wrong });
    const { createEngine } = require("../../firmware/host/engine");
    w.engine = createEngine({ store: w.store, link: w.link, settings: SETTINGS, io: ioOf(w) });
    const r = w.call<any>((cb) => w.engine.sale(card(1500), cb)).value;
    assert.equal(r.approved, false);
    assert.equal(r.outcome, "BAD_RESPONSE");
    assert.ok(w.acq.macFailures >= 2, "0200 and 0400 refused");
    assert.equal(w.acq.ledger(SETTINGS.tid).all.length, 0);

    const w2 = makeWorld();
    w2.link = createLink({ ...linkOpts(w2), mac: null });
    w2.engine = createEngine({ store: w2.store, link: w2.link, settings: SETTINGS, io: ioOf(w2) });
    const r2 = w2.call<any>((cb) => w2.engine.sale(card(1500), cb)).value;
    assert.equal(r2.outcome, "NOT_SENT");
    assert.equal(w2.acq.trace.length, 0);
    assert.equal(w2.call<any>((cb) => w2.engine.echo(cb)).value.ok, true);
  });
});

function ioOf(w: ReturnType<typeof makeWorld>) {
  return { setTimeout: (fn: () => void, ms: number) => w.clock.after(ms / 1000, fn), clearTimeout: (id: number) => w.clock.cancel(id), now: () => ({ date: "1126", time: "100000" }) };
}
function linkOpts(w: ReturnType<typeof makeWorld>) {
  const { espruinoNet, HOST, PORT } = require("./world");
  return { net: espruinoNet(w.net, w.clock), host: HOST, port: PORT, nii: SETTINGS.nii, io: ioOf(w), connectTimeoutMs: 5000 };
}
