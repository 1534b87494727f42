// Fuzzes the card parsers with seeded random and mutated inputs: track decoder + field
// parsers, PN532 frame parser (window scanning as the HSU link does), BER-TLV and the EMV
// helpers. Fails on any exception, any broken invariant, or any call slower than 50 ms.
// usage: tsx test/fuzz/cards.fuzz.ts --iterations N --seed S
import { decodeTrack } from "../../drivers/magstripe/track";
import { encodeTrack } from "../../drivers/magstripe/encode";
import { emptyFields, parseTrack, parseTrack2Body } from "../../drivers/magstripe/fields";
import { buildFrame, FrameKind, newFrameInfo, parseFrame } from "../../drivers/pn532/frame";
import { parseTlv, type Tlv } from "../../drivers/emv/tlv";
import { chooseAid, collectFields, fillPdol, parseGpo } from "../../drivers/emv/apdu";
import { seededRandom } from "../support/testbed";
import { cliArgs } from "../../sim/cli-args";
import { loadTraces } from "../../sim/cards/models";
import fixtures from "../fixtures/cards/tracks.json";

export interface FuzzResult { iterations: number; tracksOk: number; framesOk: number; tlvOk: number; slowest: number; }

const TERM = { amount: 100, date: "261126", unpredictable: 1, country: 840, currency: 840 };

function mutate(src: Uint8Array, rnd: () => number, bitsOnly: boolean): Uint8Array {
  let a = Array.from(src);
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const op = Math.floor(rnd() * 6);
    const i = Math.floor(rnd() * (a.length + 1));
    const v = bitsOnly ? (rnd() < 0.5 ? 1 : 0) : Math.floor(rnd() * 256);
    if (op === 0 && a.length) a[Math.min(i, a.length - 1)] = bitsOnly ? 1 - a[Math.min(i, a.length - 1)]! : v;
    else if (op === 1) a.splice(i, 0, v);
    else if (op === 2) a.splice(i, 1 + Math.floor(rnd() * 8));
    else if (op === 3) a = a.slice(0, i);
    else if (op === 4) a.reverse();
    else a = a.concat(a.slice(i, i + Math.floor(rnd() * 16)));
  }
  return new Uint8Array(a);
}

function randomBytes(rnd: () => number, max: number, bits: boolean): Uint8Array {
  const n = Math.floor(rnd() * max);
  const density = rnd();
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = bits ? (rnd() < density ? 1 : 0) : (rnd() < 0.2 ? [0x00, 0xff, 0x81, 0x82, 0x9f, 0xd5][Math.floor(rnd() * 6)]! : Math.floor(rnd() * 256));
  return b;
}

function checkTlv(b: Uint8Array, nodes: Tlv[], from: number, to: number): void {
  for (const n of nodes) {
    if (n.start < from || n.start + n.len > to || n.len < 0) throw new Error("TLV node out of bounds");
    if (n.children) checkTlv(b, n.children, n.start, n.start + n.len);
  }
}

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export function fuzz(iterations: number, seed: number): FuzzResult {
  const rnd = seededRandom(seed);
  const trackSeeds: [Uint8Array, number][] = [];
  for (const c of fixtures.good) { trackSeeds.push([encodeTrack(c.track1, 1, 20, 20), 1], [encodeTrack(c.track2, 2, 20, 20), 2]); }
  const tlvSeeds = loadTraces().flatMap((t) => t.exchanges.map((x) => new Uint8Array(Buffer.from(x.r, "hex"))));
  const frameSeeds = [buildFrame(0xd5, [0x03, 0x32, 0x01, 0x06, 0x07]), buildFrame(0xd5, new Uint8Array(300)), new Uint8Array([0, 0, 0xff, 0, 0xff, 0]),
    ...tlvSeeds.slice(0, 4).map((r) => buildFrame(0xd5, [0x41, 0x00, ...r]))];
  const info = newFrameInfo();
  const res: FuzzResult = { iterations, tracksOk: 0, framesOk: 0, tlvOk: 0, slowest: 0 };
  let current = "";
  try {
    for (let it = 0; it < iterations; it++) {
      const kind = it % 3;
      let work: () => void;
      if (kind === 0) {
        const s = trackSeeds[Math.floor(rnd() * trackSeeds.length)]!;
        const track = rnd() < 0.8 ? s[1] : 3 - s[1];
        const bits = rnd() < 0.7 ? mutate(s[0], rnd, true) : randomBytes(rnd, 1200, true);
        current = "track " + track + " bits " + Array.from(bits).join("");
        const clamp = Math.floor(rnd() * 10) === 0;
        const str = String.fromCharCode(...Array.from(randomBytes(rnd, 60, false)).map((x) => 0x20 + (x % 0x5f)));
        work = () => {
          const d = decodeTrack(bits, clamp ? bits.length + 5 : bits.length, track);
          if (d.reason === "ok") {
            if (!d.text.length || d.text.charAt(d.text.length - 1) !== "?") throw new Error("ok without ES");
            const f = emptyFields();
            if (parseTrack(d.text, track, f) === "ok") res.tracksOk++;
          } else if (d.text !== "") throw new Error("text left on failure");
          parseTrack(str, 1, emptyFields()); parseTrack(";" + str + "?", 2, emptyFields()); parseTrack2Body(str, "D", emptyFields());
        };
      } else if (kind === 1) {
        const b = rnd() < 0.6 ? mutate(frameSeeds[Math.floor(rnd() * frameSeeds.length)]!, rnd, false) : randomBytes(rnd, 320, false);
        current = "frame " + Buffer.from(b).toString("hex");
        work = () => {
          let p = 0;
          for (let guard = 0; p < b.length; guard++) {
            if (guard > b.length + 2) throw new Error("frame scan does not progress");
            const k = parseFrame(b, p, b.length, info);
            if (k === FrameKind.Data || k === FrameKind.Error) {
              if (info.dataStart + info.dataLen > b.length || info.consumed <= 0) throw new Error("frame bounds");
              res.framesOk++;
            }
            if (k === FrameKind.NeedMore) break;
            if (info.consumed <= 0) throw new Error("no progress on kind " + k);
            p += info.consumed;
          }
        };
      } else {
        const b = rnd() < 0.6 ? mutate(tlvSeeds[Math.floor(rnd() * tlvSeeds.length)]!, rnd, false) : randomBytes(rnd, 300, false);
        current = "tlv " + Buffer.from(b).toString("hex");
        work = () => {
          const r = parseTlv(b);
          if (!r.err) { checkTlv(b, r.nodes, 0, b.length); res.tlvOk++; }
          else if (r.nodes.length) throw new Error("nodes on error");
          chooseAid(b, b.length);
          const g = parseGpo(b, b.length);
          const data = { pan: "", expiry: "", serviceCode: "", name: "", track2: "" };
          if (g) collectFields(b, g.nodes, data);
          if (!r.err) collectFields(b, r.nodes, data);
          fillPdol(b, 0, b.length, TERM);
        };
      }
      let dt = timed(work);
      // a garbage-collector pause is not a hang: only a call that stays slow counts
      if (dt > 50) dt = Math.min(dt, timed(work), timed(work));
      if (dt > res.slowest) res.slowest = dt;
      if (dt > 50) throw new Error(`slow call: ${dt.toFixed(1)} ms`);
    }
  } catch (e: any) {
    throw new Error(`fuzz failure (seed ${seed}): ${e && e.message}\ninput: ${current}`);
  }
  return res;
}

if (require.main === module) {
  const parsed = cliArgs("cards.fuzz", process.argv.slice(2), { iterations: { type: "int", min: 1 }, seed: { type: "int", min: 0 } },
    "usage: tsx test/fuzz/cards.fuzz.ts [--iterations N] [--seed S]");
  if (typeof parsed === "number") process.exit(parsed);
  const iterations = parsed.values.iterations ?? 1000000, seed = parsed.values.seed ?? 1;
  const t0 = Date.now();
  try {
    const r = fuzz(iterations, seed);
    console.log(`cards fuzz: ${r.iterations} inputs (seed ${seed}) in ${((Date.now() - t0) / 1000).toFixed(1)} s, no failure; ` +
      `valid tracks ${r.tracksOk}, frames ${r.framesOk}, TLV ${r.tlvOk}; slowest call ${r.slowest.toFixed(2)} ms`);
  } catch (e: any) {
    console.error(e.message);
    process.exit(1);
  }
}
