// Contactless reader loop on a PN532: poll for an ISO 14443A target (RF off between polls),
// read an EMV card's data (SELECT PPSE -> SELECT AID -> GPO with PDOL -> READ RECORD per AFL)
// or report a non-payment card's UID. Removal, bad frames and timeouts: "tap again".
import { Io } from "../hal";
import { Pn532, Pn532Error, Target } from "../pn532/pn532";
import { CardFields, emptyFields } from "../magstripe/fields";
import { findTag, parseTlv } from "./tlv";
import { fromHex, toHex } from "../hex";
import { chooseAid, collectFields, fillPdol, gpoCommand, parseGpo, Terminal } from "./apdu";

export interface Tap { uid: string; payment: boolean; fields: CardFields; track2: string; }
export interface TapError { reason: string; fault: boolean; }
export type TapCallback = (err: TapError | null, tap?: Tap) => void;

var SELECT_PPSE = fromHex("00A404000E325041592E5359532E444446303100")!;
var APDU_MS = 600;
var LIST_MS = 400;
var MAX_RECORDS = 16;

type Data = CardFields & { track2: string };

export class NfcReader {
  /** the chip (the NFC probe talks to it directly) */
  readonly pn: Pn532;
  private io: Io; private terminal: () => Terminal; private pollMs: number;
  private running = false; private ready = false; private timer: number | undefined;
  /** a poll chain is in progress (a command or its timer in flight): start() inside a
   *  callback must not begin a second chain beside it */
  private alive = false;
  private lastUid = ""; private cb: TapCallback | null = null;
  /** a fault is reported once, until the reader answers again */
  private faulted = false;
  /** poll errors in a row: after a few, configure the chip again */
  private errors = 0;

  constructor(o: { pn532: Pn532; io: Io; terminal: () => Terminal; pollMs?: number }) {
    this.pn = o.pn532; this.io = o.io; this.terminal = o.terminal; this.pollMs = o.pollMs || 250;
  }

  start(cb: TapCallback): void {
    this.cb = cb;
    if (this.running) return;
    this.running = true;
    // lastUid survives stop/start: a card left on the reader after a transaction is not
    // read again for the next one until it has left the field
    if (!this.alive) this.poll(); // else the chain in flight carries on
  }

  stop(): void {
    this.running = false;
    this.cb = null;
    if (this.timer !== undefined) { this.io.clearTimeout(this.timer); this.timer = undefined; this.alive = false; }
  }

  private later(ms: number): void {
    var self = this;
    if (!this.running) { this.alive = false; this.rfOff(); return; }
    this.timer = this.io.setTimeout(function () { self.timer = undefined; self.poll(); }, ms);
  }

  private rfOff(): void { this.pn.rfField(false, function () { /* best effort */ }); }

  private report(e: TapError | null, t?: Tap): void {
    var cb = this.cb;
    if (cb && this.running) cb(e, t);
  }

  private init(done: () => void): void {
    var self = this, pn = this.pn;
    pn.samConfiguration(function (e) {
      if (e) return self.fault(e);
      pn.setRetries(1, function (e2) { // bounded InListPassiveTarget: no card -> NbTg 0
        if (e2) return self.fault(e2);
        self.ready = true;
        self.faulted = false;
        done();
      });
    });
  }

  private fault(e: Pn532Error): void {
    var self = this;
    this.ready = false;
    if (!this.faulted) this.report({ reason: e.code === "bus" ? "no_reader" : e.code, fault: true });
    this.faulted = true;
    // a hung chip comes back with a reset pulse, if RSTPDN is wired
    if (!this.pn.hardReset(function () { self.later(2000); })) this.later(2000);
  }

  private poll(): void {
    var self = this;
    this.alive = this.running;
    if (!this.running) return;
    if (!this.ready) { this.init(function () { self.poll(); }); return; }
    this.pn.inListPassiveTarget(LIST_MS, function (e, t) {
      if (!self.running) { self.alive = false; self.rfOff(); return; }
      if (e) {
        if (e.code === "bus") return self.fault(e);
        if (++self.errors >= 3) { self.errors = 0; self.ready = false; } // configure it again
        self.pn.rfField(false, function () { self.later(self.pollMs); });
        return;
      }
      self.errors = 0;
      if (!t) { self.lastUid = ""; self.pn.rfField(false, function () { self.later(self.pollMs); }); return; }
      var uid = toHex(t.uid);
      if (uid === self.lastUid) { self.later(self.pollMs); return; } // same card still in the field
      self.read(t, uid);
    });
  }

  private read(t: Target, uid: string): void {
    var self = this;
    function finish(e: Pn532Error | string | null, data?: Data): void {
      self.pn.inRelease(t.tg, function () {
        self.pn.rfField(false, function () {
          if (e) {
            self.lastUid = "";
            self.report({ reason: typeof e === "string" ? e : e.code, fault: false });
          } else {
            self.lastUid = uid;
            var pay = !!data && data.pan !== "";
            self.report(null, { uid: uid, payment: pay, fields: data || emptyFields(), track2: data ? data.track2 : "" });
            if (data) { data.pan = ""; data.track2 = ""; }
          }
          self.later(self.pollMs);
        });
      });
    }
    if (!t.isoDep) { finish(null); return; }
    readEmv(this.pn, t.tg, this.terminal(), finish);
  }
}

/** One APDU; follows 61xx with GET RESPONSE and 6Cxx with the right Le. cb(err, rsp, len, sw) */
function transceive(pn: Pn532, tg: number, apdu: Uint8Array, cb: (e: Pn532Error | string | null, rsp?: Uint8Array, len?: number, sw?: number) => void, depth?: number): void {
  pn.inDataExchange(tg, apdu, APDU_MS, function (e, r) {
    if (e) return cb(e);
    if (r!.length < 2) return cb("frame");
    var n = r!.length - 2;
    var sw = r![n]! * 256 + r![n + 1]!;
    var d = depth || 0;
    if (d < 3 && (sw >> 8) === 0x61) return transceive(pn, tg, new Uint8Array([0x00, 0xc0, 0x00, 0x00, sw & 0xff]), cb, d + 1);
    if (d < 3 && (sw >> 8) === 0x6c) { var a = new Uint8Array(apdu); a[a.length - 1] = sw & 0xff; return transceive(pn, tg, a, cb, d + 1); }
    cb(null, r!, n, sw);
  });
}

function selectAid(aid: string): Uint8Array {
  var a = fromHex(aid)!;
  var c = new Uint8Array(a.length + 6);
  c[1] = 0xa4; c[2] = 0x04; c[4] = a.length;
  c.set(a, 5);
  return c;
}

/** The EMV data read itself. cb(err) with err "not_payment" is not an error for the caller. */
export function readEmv(pn: Pn532, tg: number, term: Terminal, cb: (e: Pn532Error | string | null, d?: Data) => void): void {
  var data: Data = { pan: "", expiry: "", serviceCode: "", name: "", track2: "" };
  transceive(pn, tg, SELECT_PPSE, function (e, r, n, sw) {
    if (e) return cb(e);
    if (sw !== 0x9000) return cb(null); // no PPSE: not a payment card
    var aid = chooseAid(r!, n!);
    if (!aid) return cb(null);
    transceive(pn, tg, selectAid(aid), function (e2, fci, fn, sw2) {
      if (e2) return cb(e2);
      if (sw2 !== 0x9000) return cb("select");
      var f = parseTlv(fci!, 0, fn!);
      if (f.err) return cb("tlv");
      var dol = findTag(f.nodes, 0x9f38);
      var pdol = dol ? fillPdol(fci!, dol.start, dol.len, term) : new Uint8Array(0);
      if (!pdol) return cb("tlv");
      transceive(pn, tg, gpoCommand(pdol), function (e3, g, gn, sw3) {
        if (e3) return cb(e3);
        if (sw3 !== 0x9000) return cb("gpo");
        var po = parseGpo(g!, gn!);
        if (!po) return cb("tlv");
        collectFields(g!, po.nodes, data);
        var afl = new Uint8Array(po.afl); // a view of g, which is zeroed now
        g!.fill(0); // format 2 may carry 57/5A: the fields hold what is needed
        readRecords(pn, tg, afl, data, cb);
      });
    });
  });
}

function readRecords(pn: Pn532, tg: number, afl: Uint8Array, data: Data, cb: (e: Pn532Error | string | null, d?: Data) => void): void {
  var entry = 0, rec = afl.length ? afl[1]! : 0, count = 0;
  function done(): void {
    if (!data.pan || !data.expiry) return cb("no_data");
    cb(null, data);
  }
  function next(): void {
    while (entry * 4 < afl.length && rec > afl[entry * 4 + 2]!) { entry++; if (entry * 4 < afl.length) rec = afl[entry * 4 + 1]!; }
    if (entry * 4 >= afl.length || count >= MAX_RECORDS) return done();
    var sfi = afl[entry * 4]! >> 3;
    if (sfi < 1 || sfi > 30 || rec < 1) return cb("tlv");
    count++;
    var r = rec++;
    transceive(pn, tg, new Uint8Array([0x00, 0xb2, r, (sfi << 3) | 4, 0x00]), function (e, b, n, sw) {
      if (e) return cb(e);
      if (sw === 0x9000) {
        var t = parseTlv(b!, 0, n!);
        var ok = !t.err && t.nodes.length > 0 && t.nodes[0]!.tag === 0x70;
        if (ok) collectFields(b!, t.nodes, data);
        b!.fill(0); // records carry 57/5A: the fields hold what is needed
        if (!ok) return cb("tlv");
      }
      next();
    });
  }
  next();
}
