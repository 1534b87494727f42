// Track decoder and fields: fixtures, the pos-domain worked example, reverse swipes, noise,
// every single-bit error, truncation; Luhn cross-checked against the `luhn` package.
import { strict as assert } from "assert";
import { decodeTrack, bitsFromString } from "../../drivers/magstripe/track";
import { encodeTrack } from "../../drivers/magstripe/encode";
import { emptyFields, luhnOk, parseTrack, parseTrack1, parseTrack2, parseTrack2Body } from "../../drivers/magstripe/fields";
import fixtures from "../fixtures/cards/tracks.json";
const luhn = require("luhn");

const bitsOf = (text: string, track: number, lead = 20, trail = 20) => encodeTrack(text, track, lead, trail);
const reversed = (b: Uint8Array) => new Uint8Array(b).reverse();

describe("magstripe track decoding", () => {
  it("matches the worked example bits and LRC (pos-domain 3)", () => {
    const x = fixtures.bitstrings;
    const b = encodeTrack(x.track2ExampleText, 2, 0, 0);
    assert.equal([...b.subarray(0, 10)].join(""), x.track2Head);
    assert.equal(b.length, 195);
    assert.equal(b[190]! | (b[191]! << 1) | (b[192]! << 2) | (b[193]! << 3), x.track2ExampleLrc);
    assert.equal([...encodeTrack("%?", 1, 0, 0).subarray(0, 7)].join(""), x.track1SsWithParity);
  });

  for (const c of fixtures.good) {
    for (const t of [1, 2]) {
      it(`${c.name} track ${t}: forward, reverse, noise`, () => {
        const text = t === 1 ? c.track1 : c.track2;
        const b = bitsOf(text, t);
        for (const [bits, rev] of [[b, false], [reversed(b), true]] as const) {
          const d = decodeTrack(bits, bits.length, t);
          assert.deepEqual([d.reason, d.text, d.reversed], ["ok", text, rev]);
        }
        const noisy = new Uint8Array(b.length + 30);
        noisy.set(b, 30);
        noisy[3] = 1; noisy[9] = 1; // stray bits well before the start sentinel
        assert.equal(decodeTrack(noisy, noisy.length, t).text, text);
        const f = emptyFields();
        assert.equal(parseTrack(text, t, f), "ok");
        assert.deepEqual([f.pan, f.expiry, f.serviceCode], [c.pan, c.expiry, c.serviceCode]);
        if (t === 1) assert.equal(f.name, c.holder);
      });
    }
  }

  it("every single-bit error inside the data is caught (parity or LRC), never a wrong text", () => {
    for (const t of [1, 2]) {
      const text = t === 1 ? fixtures.good[0]!.track1 : fixtures.good[0]!.track2;
      const b = bitsOf(text, t);
      for (let i = 20; i < b.length - 20; i++) {
        const m = new Uint8Array(b);
        m[i] = m[i] ? 0 : 1;
        const d = decodeTrack(m, m.length, t);
        assert.notEqual(d.reason === "ok" && d.text !== text, true, `bit ${i} track ${t}`);
        if (d.reason !== "ok") assert.ok(["parity", "lrc", "no_start", "no_end", "too_long"].includes(d.reason), d.reason);
      }
    }
  });

  it("rejects: no start, truncated (no end), too long, all zeros, empty", () => {
    assert.equal(decodeTrack(new Uint8Array(100), 100, 2).reason, "no_data");
    assert.equal(decodeTrack(new Uint8Array(0), 0, 2).reason, "no_data");
    assert.equal(decodeTrack(bitsFromString("0000000001000000100000"), 22, 2).reason, "no_start");
    const b = bitsOf(fixtures.good[0]!.track2, 2);
    assert.equal(decodeTrack(b, 80, 2).reason, "no_end");
    const long = bitsOf(";" + "1".repeat(45) + "?", 2);
    assert.equal(decodeTrack(long, long.length, 2).reason, "too_long");
    const t1long = bitsOf("%B" + "1".repeat(80) + "?", 1);
    assert.equal(decodeTrack(t1long, t1long.length, 1).reason, "too_long");
    assert.equal(decodeTrack(b, b.length + 50, 2).reason, "ok", "count clamped to the buffer");
  });

  it("reverse swipe of a track whose LRC equals the start sentinel code", () => {
    const text = ";4111111111111111=3012101000007?"; // LRC 0x0B, like ';'
    const b = bitsOf(text, 2);
    assert.equal(b[b.length - 20 - 5]! | (b[b.length - 20 - 4]! << 1) | (b[b.length - 20 - 3]! << 2) | (b[b.length - 20 - 2]! << 3), 0x0b);
    const d = decodeTrack(reversed(b), b.length, 2);
    assert.deepEqual([d.reason, d.text, d.reversed], ["ok", text, true]);
  });

  it("noise that mimics a start sentinel is skipped for the real one", () => {
    const text = fixtures.good[0]!.track2;
    const fake = [0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const b = new Uint8Array([...fake, ...bitsOf(text, 2, 10, 20)]);
    const d = decodeTrack(b, b.length, 2);
    assert.deepEqual([d.reason, d.text, d.reversed], ["ok", text, false]);
  });

  it("needs leading zeros before the start sentinel", () => {
    const b = bitsOf(fixtures.good[0]!.track2, 2, 0, 20);
    // no zeros at all before SS (stream starts on it): not trusted on track 2 (needs 4)
    assert.equal(decodeTrack(b, b.length, 2).reason, "no_start");
    const ok = bitsOf(fixtures.good[0]!.track2, 2, 4, 20);
    assert.equal(decodeTrack(ok, ok.length, 2).reason, "ok");
  });

  for (const c of fixtures.bad) {
    it(`rejects ${c.name} with ${c.reason}`, () => {
      const f = emptyFields();
      assert.equal(c.track2 ? parseTrack2(c.track2, f) : parseTrack1(c.track1!, f), c.reason);
      assert.equal(f.pan, "", "nothing filled on error");
    });
  }

  it("parses the EMV track 2 equivalent layout (D separator)", () => {
    const f = emptyFields();
    assert.equal(parseTrack2Body("4761739001010010D30122011143804400000", "D", f), "ok");
    assert.deepEqual([f.pan, f.expiry, f.serviceCode], ["4761739001010010", "3012", "201"]);
  });

  it("Luhn agrees with the luhn package", () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3000; i++) {
      const n = 12 + Math.floor(rnd() * 8);
      let s = "";
      for (let k = 0; k < n; k++) s += Math.floor(rnd() * 10);
      assert.equal(luhnOk(s), luhn.validate(s), s);
    }
    for (const p of ["4111111111111111", "4242424242424242", "5555555555554444", "378282246310005", "6011111111111117"]) assert.ok(luhnOk(p) && luhn.validate(p));
  });
});
