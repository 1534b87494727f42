// Host link failure classification over the simulator's VirtualNetwork: what the reversal
// rules depend on (NOT_SENT means no byte left; everything else may have reached the host).
import { strict as assert } from "assert";
import * as sinon from "sinon";
import { createLink } from "../../firmware/host/link";
import { buildEcho, buildPayment } from "../../firmware/host/messages";
import { frame } from "../../firmware/host/frame";
import { pack, IsoMsg } from "../../firmware/host/iso8583";
import { bytesToStr } from "../../firmware/host/hex";
import { Brand, TxnKind, TxnState, TxnRecord } from "../../firmware/txn";
import { makeWorld, espruinoNet, timersOf, HOST, PORT, SETTINGS, TEST_MAC } from "./world";

function saleMsg(stan: number): IsoMsg {
  const rec: TxnRecord = {
    stan, invoice: 1, batch: 1, kind: TxnKind.SALE, state: TxnState.PENDING, amount: 1000, procCode: "000000",
    entryMode: "021", brand: Brand.Visa, token: "t", last4: "1111", time: "101010", date: "1126", rrn: "", authCode: "", rc: "",
    reversalPending: true, advicePending: false, origInvoice: 0, slot: -1,
  };
  return buildPayment(rec, { track2: "4111111111111111=3012101", entryMode: "021" }, SETTINGS);
}

function exchange(w: ReturnType<typeof makeWorld>, req: IsoMsg, link = w.link) {
  const started = w.clock.now();
  const r = w.call<IsoMsg>((cb) => link.exchange(req, 30000, cb as any));
  return { err: r.err, resp: r.value, took: w.clock.now() - started };
}

describe("host link failure classes", () => {
  it("exchanges and matches the reply", () => {
    const w = makeWorld();
    const r = exchange(w, saleMsg(1));
    assert.equal(r.err, null);
    assert.equal(r.resp!.mti, "0210");
    assert.equal(r.resp!.f[39], "00");
    w.clock.advanceTo(w.clock.now() + 1);
    assert.equal(w.net.openSockets(), 0, "connection closed after the exchange");
  });

  it("NOT_SENT when nothing listens or the link is down", () => {
    const w = makeWorld();
    w.net.unlisten(HOST, PORT);
    assert.equal(exchange(w, saleMsg(1)).err.code, "NOT_SENT");
    const w2 = makeWorld();
    w2.net.setUp(false);
    assert.equal(exchange(w2, saleMsg(1)).err.code, "NOT_SENT");
    assert.equal(w2.acq.trace.length, 0);
  });

  it("NOT_SENT on a connect timeout, and nothing is written afterwards", () => {
    const w = makeWorld();
    let writes = 0;
    const silent: NetModule = { connect: () => ({ write: () => { writes++; return true; }, end: () => {}, on: () => {} }) as any };
    const link = createLink({ net: silent, host: HOST, port: PORT, nii: "123", io: timersOf(w.clock), connectTimeoutMs: 5000, mac: TEST_MAC });
    const r = exchange(w, saleMsg(1), link);
    assert.equal(r.err.code, "NOT_SENT");
    assert.ok(Math.abs(r.took - 5) < 0.01, "after the connect timeout: " + r.took);
    assert.equal(writes, 0);
  });

  it("SENT_NO_RESPONSE after the response timeout (host processed it)", () => {
    const w = makeWorld();
    w.acq.inject({ mti: "0200", fault: "noResponse" });
    const r = exchange(w, saleMsg(1));
    assert.equal(r.err.code, "SENT_NO_RESPONSE");
    assert.ok(r.took >= 30 && r.took < 30.2, "took " + r.took);
    assert.equal(w.acq.ledger("TERM0001").charges.length, 1, "the host charged");
  });

  it("late reply: inside the timeout it is used, outside it is SENT_NO_RESPONSE", () => {
    const w = makeWorld();
    w.acq.inject({ mti: "0200", fault: "late", delayMs: 10000 });
    assert.equal(exchange(w, saleMsg(1)).err, null);
    w.acq.inject({ mti: "0200", fault: "late", delayMs: 40000 });
    assert.equal(exchange(w, saleMsg(2)).err.code, "SENT_NO_RESPONSE");
  });

  it("DISCONNECTED when the connection drops mid-reply or after sending", () => {
    const w = makeWorld();
    w.acq.inject({ mti: "0200", fault: "disconnectMid" });
    const r = exchange(w, saleMsg(1));
    assert.equal(r.err.code, "DISCONNECTED");
    assert.match(r.err.message, /mid-message/);
    // link lost after the request left: the stack notices after dropTimeout
    const w2 = makeWorld();
    w2.acq.inject({ mti: "0200", fault: "noResponse" });
    w2.clock.after(0.5, () => w2.net.setUp(false));
    const r2 = exchange(w2, saleMsg(1));
    assert.equal(r2.err.code, "DISCONNECTED");
    assert.ok(r2.took < 5, "noticed at the drop, not the response timeout");
  });

  it("BAD_RESPONSE on a garbled reply, a mismatched STAN or TID, or a bad length", () => {
    const w = makeWorld();
    w.acq.inject({ mti: "0200", fault: "garbled" });
    assert.equal(exchange(w, saleMsg(1)).err.code, "BAD_RESPONSE");
    for (const tweak of [(m: IsoMsg) => { m.f[11] = "999999"; }, (m: IsoMsg) => { m.f[41] = "OTHER001"; }, (m: IsoMsg) => { m.mti = "0230"; }]) {
      const w2 = makeWorld();
      w2.net.unlisten(HOST, PORT);
      w2.net.listen(HOST, PORT, (s) => s.onData(() => {
        const m = saleMsg(1); m.mti = "0210"; m.f[39] = "00"; tweak(m);
        s.write(bytesToStr(frame(pack(m), "123")));
      }));
      assert.equal(exchange(w2, saleMsg(1)).err.code, "BAD_RESPONSE");
    }
    const w3 = makeWorld();
    w3.net.unlisten(HOST, PORT);
    w3.net.listen(HOST, PORT, (s) => s.onData(() => s.write("\x00\x02\x60\x00")));
    assert.equal(exchange(w3, saleMsg(1)).err.code, "BAD_RESPONSE");
  });

  it("a duplicated reply is used once", () => {
    const w = makeWorld();
    w.acq.inject({ mti: "0800", fault: "duplicate" });
    const done = sinon.spy();
    w.link.exchange(buildEcho(5, SETTINGS), 30000, done);
    w.clock.advanceTo(w.clock.now() + 60);
    sinon.assert.calledOnce(done);
  });

  it("reports status for the screen", () => {
    const w = makeWorld();
    const seen: string[] = [];
    w.link.onStatus((t) => seen.push(t));
    exchange(w, buildEcho(1, SETTINGS));
    assert.deepEqual(seen, ["CONNECTING", "SENDING", "WAITING"]);
  });

  it("works over a net module that connects synchronously", () => {
    const w = makeWorld();
    const base = espruinoNet(w.net, w.clock);
    const sync: NetModule = { connect: (o, cb) => { const s = base.connect(o, () => {}); cb(s); return s; } };
    const link = createLink({ net: sync, host: HOST, port: PORT, nii: "123", io: timersOf(w.clock), mac: TEST_MAC });
    assert.equal(exchange(w, saleMsg(1), link).err, null);
  });
});
