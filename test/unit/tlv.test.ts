// BER-TLV parser against node-tlv and ber-tlv on every response in the APDU fixtures, plus
// malformed inputs both reject.
import { strict as assert } from "assert";
import { findTag, parseTlv, type Tlv } from "../../drivers/emv/tlv";
import { fromHex, toHex } from "../../sim/hex";
import { loadTraces } from "../../sim/cards/models";
const NodeTlv = require("node-tlv");
const { TlvFactory } = require("ber-tlv");

function flat(b: Uint8Array, nodes: Tlv[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.tag.toString(16).toUpperCase() + "=" + (n.children ? "" : toHex(b, n.start, n.len)));
    if (n.children) flat(b, n.children, out);
  }
  return out;
}
function flatBer(items: any[], out: string[] = []): string[] {
  for (const i of items) {
    out.push(i.tag.replace(/^0+(?=.)/, "") + "=" + (i.items && i.type === 1 ? "" : Buffer.from(i.value ?? []).toString("hex").toUpperCase()));
    if (i.type === 1) flatBer(i.items, out);
  }
  return out;
}

describe("BER-TLV parser", () => {
  const bodies: string[] = [];
  for (const t of loadTraces()) for (const x of t.exchanges) if (x.r.length > 4) bodies.push(x.r.slice(0, -4));

  it("agrees with ber-tlv on every fixture response (tags, nesting, values)", () => {
    for (const hex of bodies) {
      const b = fromHex(hex)!;
      const mine = parseTlv(b);
      assert.equal(mine.err, "", hex);
      let theirs: any[];
      try { theirs = TlvFactory.parse(hex.replace(/(00)+$/, "")); } catch { continue; }
      assert.deepEqual(flat(b, mine.nodes), flatBer(theirs), hex);
    }
  });

  it("finds the same AID and PAN tags as node-tlv", () => {
    for (const hex of bodies) {
      const b = fromHex(hex)!;
      const mine = parseTlv(b);
      const theirs = NodeTlv.parse(hex);
      for (const tag of [0x4f, 0x5a, 0x57, 0x5f24, 0x94]) {
        const m = findTag(mine.nodes, tag);
        const o = theirs.find(tag.toString(16).toUpperCase());
        assert.equal(m ? toHex(b, m.start, m.len) : undefined, o ? o.getValue() : undefined, `${tag.toString(16)} in ${hex}`);
      }
    }
  });

  it("rejects malformed lengths and truncations", () => {
    const bad = ["5A0841111111", "5A8401", "5A80", "9F", "9F02", "6F0A5A08411111111111111111", "5A81", "5A8201", "9FFFFF0101", "6F03840201"];
    for (const hex of bad) assert.notEqual(parseTlv(fromHex(hex)!).err, "", hex);
  });

  it("nesting depth is bounded", () => {
    let hex = "5A00";
    for (let i = 0; i < 20; i++) hex = "6F" + (hex.length / 2).toString(16).padStart(2, "0") + hex;
    assert.match(parseTlv(fromHex(hex.slice(0, 200))!).err + parseTlv(fromHex(hex)!).err, /deep|past/);
  });
});
