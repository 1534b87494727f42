// The app's host adapter (firmware/app/adapt/host.ts): the engine gets its own copy of the
// card data, and that copy is wiped once the engine answered.
import { strict as assert } from "assert";
import { hostPort } from "../../firmware/app/adapt/host";
import type { Engine } from "../../firmware/host/engine";
import type { PaymentRequest } from "../../firmware/host/types";

describe("host port", () => {
  it("wipes the engine's copy of the card data once the engine answered", () => {
    const seen: PaymentRequest[] = [];
    let answer: ((err: any, r?: any) => void) | null = null;
    const engine = {
      sale(req: PaymentRequest, cb: (err: any, r?: any) => void) { seen.push(req); answer = cb; },
    } as unknown as Engine;
    const port = hostPort(engine);
    const icc = new Uint8Array([0x9f, 0x26, 0x01, 0x00]);
    let got: any = null;
    port.financial({ kind: "sale", amount: 500, token: "ab", last4: "1111",
      card: { pan: "4111111111111111", expiry: "3012", track2: "4111111111111111=3012101", entry: "tap", icc } }, (err, t) => { got = { err, t }; });
    const c = seen[0]!.card;
    assert.deepEqual([c.pan, c.expiry, c.entryMode], ["4111111111111111", "3012", "071"], "the engine had the card data");
    answer!(null, { approved: true, outcome: "APPROVED", rc: "00", authCode: "A1", rrn: "", stan: 1, invoice: 1, batch: 1,
      amount: 500, kind: "SALE", last4: "1111", time: "", date: "", reversalPending: false, slot: 0 });
    assert.deepEqual([c.pan, c.track2, c.expiry, c.icc], ["", "", "", undefined]);
    assert.equal(got.err, null);
    assert.equal(got.t.authCode, "A1");
  });
});
