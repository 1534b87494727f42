// Host link over Espruino's require("net") (injected): one connection per exchange. The
// failure classes matter for the reversal rules (docs/host-protocol.md §3.1):
//   NOT_SENT          the connection was never established: no byte left the terminal
//   SENT_NO_RESPONSE  the request was written and no complete reply came in time
//   DISCONNECTED      the connection dropped after the request was written
//   BAD_RESPONSE      a reply came but is unparsable, does not match the request, or (a
//                     financial reply) its MAC is missing or wrong
// Financial messages (MTI 02xx-05xx) carry a MAC in DE 64 (docs/host-protocol.md §1.4):
// the first 8 bytes of HMAC-SHA-256 over the packed message up to, not including, DE 64.
// Without a MAC function (no valid key) they are refused: NOT_SENT, nothing leaves.
import { IsoMsg, pack, unpack } from "./iso8583";
import { createDeframer, frame } from "./frame";
import { bytesToStr, strToBytes } from "./hex";
import { responseMti } from "./messages";

export const enum LinkErr {
  NOT_SENT = "NOT_SENT",
  SENT_NO_RESPONSE = "SENT_NO_RESPONSE",
  DISCONNECTED = "DISCONNECTED",
  BAD_RESPONSE = "BAD_RESPONSE",
}

export interface LinkError { code: LinkErr; message: string; }

export interface LinkTimers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export interface LinkOptions {
  net: NetModule;
  host: string;
  port: number;
  nii: string;
  io: LinkTimers;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  /** data (8-bit string) -> its 8-byte MAC (firmware/app/hmac.ts macFunction); null: no key */
  mac?: ((data: string) => string) | null;
}

export interface HostLink {
  /** send req, wait for the reply matched on MTI + 10, DE 11 and DE 41 */
  exchange(req: IsoMsg, responseTimeoutMs: number | undefined, cb: (err: LinkError | null, resp?: IsoMsg) => void): void;
  onStatus(fn: (text: string) => void): void;
}

/** packs m with DE 64 = the MAC of the bytes before it (DE 64 is the last element); for
 *  tests and the memtest's loopback host (exchange() does the same inline) */
export function packMacked(m: IsoMsg, mac: (data: string) => string): Uint8Array {
  m.f[64] = new Uint8Array(8);
  var b = pack(m);
  b.set(strToBytes(mac(bytesToStr(b.subarray(0, b.length - 8)))), b.length - 8);
  return b;
}

export function createLink(o: LinkOptions): HostLink {
  var connectMs = o.connectTimeoutMs || 10000;
  var defaultResponseMs = o.responseTimeoutMs || 30000;
  var status: (t: string) => void = function () {};

  function exchange(req: IsoMsg, responseMs: number | undefined, cb: (err: LinkError | null, resp?: IsoMsg) => void): void {
    var bytes: Uint8Array;
    var mac = o.mac, macked = req.mti.charAt(1) !== "8";
    if (macked && !mac) { cb({ code: LinkErr.NOT_SENT, message: "no MAC key" }); return; }
    try {
      // as packMacked, inline: a top-level function the bundle would keep costs RAM for life
      if (macked) req.f[64] = new Uint8Array(8);
      var packed = pack(req);
      if (macked) packed.set(strToBytes(mac!(bytesToStr(packed.subarray(0, packed.length - 8)))), packed.length - 8);
      bytes = frame(packed, o.nii);
    } catch (e) {
      cb({ code: LinkErr.NOT_SENT, message: "pack: " + (e as Error).message });
      return;
    }
    var wantMti = responseMti(req.mti);
    var written = false, finished = false;
    var timer = 0, hasTimer = false;
    var sock: NetSocket | null = null;

    function stopTimer(): void { if (hasTimer) { o.io.clearTimeout(timer); hasTimer = false; } }
    function startTimer(ms: number, fn: () => void): void {
      stopTimer();
      timer = o.io.setTimeout(function () { hasTimer = false; fn(); }, ms);
      hasTimer = true;
    }
    function finish(err: LinkError | null, resp?: IsoMsg): void {
      if (finished) return;
      finished = true;
      stopTimer();
      var s = sock; sock = null;
      if (s) { try { s.end(); } catch (e) { /* already closed */ } }
      cb(err, resp);
    }
    function fail(code: LinkErr, message: string): void { finish({ code: code, message: message }); }

    var deframer = createDeframer(function (_tpdu, body) {
      if (finished) return;
      var m: IsoMsg;
      try { m = unpack(body); } catch (e) { fail(LinkErr.BAD_RESPONSE, (e as Error).message); return; }
      if (m.mti !== wantMti || m.f[11] !== req.f[11] || m.f[41] !== req.f[41]) {
        fail(LinkErr.BAD_RESPONSE, "mismatch: " + m.mti + " STAN " + m.f[11]);
        return;
      }
      // DE 64 is the last element (no DE 65-128 is defined): the MAC covers what precedes it
      if (macked && (!m.f[64] || mac!(bytesToStr(body.subarray(0, body.length - 8))) !== bytesToStr(m.f[64] as Uint8Array))) {
        fail(LinkErr.BAD_RESPONSE, "bad MAC");
        return;
      }
      finish(null, m);
    }, function (code) { fail(LinkErr.BAD_RESPONSE, code); });

    var connected = false;
    function onConnected(): void {
      connected = true;
      if (sock) sendNow(); // else connect() called back synchronously: sent once it returns
    }
    function sendNow(): void {
      if (finished || written || !sock) return;
      status("SENDING");
      written = true; // from here on any byte may have reached the host
      sock.write(bytesToStr(bytes));
      bytes.fill(0); // the request may hold PAN/track data: do not keep it around
      status("WAITING");
      startTimer(responseMs || defaultResponseMs, function () { fail(LinkErr.SENT_NO_RESPONSE, "no response"); });
    }
    function onGone(why: string): void {
      if (written) fail(LinkErr.DISCONNECTED, why + (deframer.pending() ? " mid-message" : ""));
      else fail(LinkErr.NOT_SENT, why + " before connecting");
    }

    status("CONNECTING");
    startTimer(connectMs, function () { fail(LinkErr.NOT_SENT, "connect timeout"); });
    try {
      sock = o.net.connect({ host: o.host, port: o.port }, onConnected);
    } catch (e) {
      fail(LinkErr.NOT_SENT, "connect: " + (e as Error).message);
      return;
    }
    if (finished) { try { sock.end(); } catch (e) { /* closed */ } sock = null; return; }
    sock.on("data", function (d: string) { if (!finished) deframer.push(d); });
    sock.on("error", function (e: any) { onGone("error " + (e && e.message ? e.message : String(e))); });
    sock.on("close", function () { onGone("closed"); });
    sock.on("end", function () { onGone("ended"); });
    if (connected) sendNow();
  }

  return {
    exchange: exchange,
    onStatus: function (fn) { status = fn; },
  };
}
