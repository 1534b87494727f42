// The app's host adapter (firmware/app/adapt/host.ts): requests and records pass through as
// they are. The engine gets the flow's own card object (no copy of the card data to wipe:
// the flow wipes its one object when the engine answers), and the engine's record reaches the
// flow unconverted, with the entry mode and card type it will print.
import { strict as assert } from "assert";
import { hostPort } from "../../firmware/app/adapt/host";
import type { Engine } from "../../firmware/host/engine";
import type { PaymentRequest } from "../../firmware/host/types";
import { Brand, CardData, TxnKind } from "../../firmware/txn";

describe("host port", () => {
  it("hands the flow's card to the engine as is, and the engine's record to the flow as is", () => {
    const seen: PaymentRequest[] = [];
    let answer: ((err: any, r?: any) => void) | null = null;
    const engine = {
      sale(req: PaymentRequest, cb: (err: any, r?: any) => void) { seen.push(req); answer = cb; },
    } as unknown as Engine;
    const port = hostPort(engine);
    const icc = new Uint8Array([0x9f, 0x26, 0x01, 0x00]);
    const card: CardData = { pan: "4111111111111111", expiry: "3012", track2: "4111111111111111=3012101", entryMode: "071", brand: Brand.Visa, icc };
    let got: any = null;
    port.financial({ kind: TxnKind.SALE, amount: 500, token: "ab", last4: "1111", card }, (err, t) => { got = { err, t }; });
    assert.equal(seen[0]!.card, card, "no copy of the card data");
    assert.deepEqual([seen[0]!.amount, seen[0]!.token, seen[0]!.last4], [500, "ab", "1111"]);
    const rec = { approved: true, outcome: "APPROVED", slot: 0, kind: "SALE", state: "APPROVED", stan: 1, invoice: 1, batch: 1, amount: 500,
      entryMode: "071", brand: Brand.Visa, last4: "1111", token: "ab", date: "", time: "", procCode: "000000", rc: "00", authCode: "A1", rrn: "",
      reversalPending: false, advicePending: false, origInvoice: 0 };
    answer!(null, rec);
    assert.equal(got.err, null);
    assert.equal(got.t, rec, "the engine's record, not a converted copy");
  });

  it("turns an outcome without an answer into the flow's error", () => {
    let answer: ((err: any, r?: any) => void) | null = null;
    const engine = { sale(_req: PaymentRequest, cb: (err: any, r?: any) => void) { answer = cb; } } as unknown as Engine;
    let got: any = null;
    hostPort(engine).financial({ kind: TxnKind.SALE, amount: 500, token: "ab", last4: "1111", card: { track2: "4111111111111111=3012101", entryMode: "021" } },
      (err, t) => { got = { err, t }; });
    answer!(null, { approved: false, outcome: "NO_RESPONSE" });
    assert.equal(got.err.code, "NO_RESPONSE");
    assert.equal(got.t, undefined);
  });
});
