// SNTP packets (RFC 4330; NTPv4 header of RFC 5905), pure code: the client's request and the
// checks a server's reply must pass before its time may set the clock. The exchange itself is
// firmware/clock-sntp.ts. Packets are 8-bit strings, as Espruino's dgram sends and receives them.
//
// The terminal's clock is not known when it asks (that is why it asks), so the request's
// transmit timestamp is not a time but 8 random bytes: a server copies it into the reply's
// origin timestamp, and a reply whose origin differs did not answer this request (stale, or
// spoofed by someone who did not see the request). The round trip is measured on the
// interpreter's clock (getTime(), seconds since power-up), which is all it needs.
import { Clock } from "./clock";
import { dateTime } from "./receipt/format";

/** sizes and constants (a const enum: inlined, no RAM) */
export const enum Ntp {
  /** bytes of an NTP header without extensions */
  LEN = 48,
  /** seconds from the NTP epoch (1900-01-01 UTC) to 2020-01-01 UTC */
  TO_2020 = 3786825600,
  /** 2^32: an NTP era; a seconds field below 2^31 is in era 1 (2036-02-07 to 2104) */
  ERA = 4294967296,
  /** a reply's time may be this far before the journal's newest record (2 days) */
  BEHIND = 172800,
  /** the first year no reply may give (the clock's arithmetic is checked up to 2099) */
  LAST_YEAR = 2100,
}

/** The 48-byte client request: LI 0, version 4, mode 3 (client); every other field 0 except the
 *  transmit timestamp (bytes 40..47): the 8 characters of `nonce`. */
export function sntpRequest(nonce: string): string {
  var s = String.fromCharCode(0x23), z = String.fromCharCode(0);
  for (var i = 1; i < 40; i++) s += z;
  return s + nonce.substr(0, 8);
}

/** A reply checked against its request. sentAt/recvAt: getTime() when the request left and the
 *  reply came in; offset: minutes east of UTC; low: the newest time known to have passed
 *  (seconds since 2020, local: firmware/clock.ts clockInfo().low).
 *  Good: t = the local time at recvAt (seconds since 2020: the server's transmit time, plus
 *  half the round trip less the server's own time between receive and transmit), the stratum
 *  and the round trip in seconds. Refused: why, and whether the reply answered this request
 *  (final: its origin matched, so waiting for another is pointless) or may be someone else's. */
export function sntpTime(reply: string, request: string, sentAt: number, recvAt: number, offset: number, low: number):
  { t: number; stratum: number; rtt: number } | { why: string; final: boolean } {
  // no local functions here: a closure kept in its own scope is a reference cycle, which stays
  // in RAM after the call until a garbage collection (docs/time.md "SNTP", memory)
  if (typeof reply !== "string" || reply.length < Ntp.LEN) return { why: "short reply (" + (typeof reply === "string" ? reply.length : typeof reply) + " bytes)", final: false };
  var b0 = reply.charCodeAt(0), mode = b0 & 7, vn = (b0 >> 3) & 7, stratum = reply.charCodeAt(1);
  if (mode !== 4) return { why: "not a server reply (mode " + mode + ")", final: false };
  if (vn < 3 || vn > 4) return { why: "NTP version " + vn, final: false };
  if (reply.substr(24, 8) !== request.substr(40, 8)) return { why: "origin timestamp is not the request's (stale or spoofed)", final: false };
  // from here on the reply answers this request
  var i: number, c: number;
  if (stratum === 0) {
    var code = "";
    for (i = 12; i < 16; i++) { c = reply.charCodeAt(i); code += c >= 32 && c < 127 ? reply.charAt(i) : "?"; }
    return { why: "kiss-o'-death (stratum 0, code " + code + ")", final: true };
  }
  if (stratum > 15) return { why: "stratum " + stratum + " (server not synchronised)", final: true };
  if (b0 >> 6 === 3) return { why: "leap indicator 3 (server not synchronised)", final: true };
  // the transmit (bytes 40..47) and receive (32..39) timestamps as seconds since 2020-01-01 UTC,
  // NaN when all zero
  var ts = [0, 0];
  for (var k = 0; k < 2; k++) {
    var o = k ? 32 : 40;
    var sec = reply.charCodeAt(o) * 16777216 + ((reply.charCodeAt(o + 1) << 16) | (reply.charCodeAt(o + 2) << 8) | reply.charCodeAt(o + 3));
    var frac = reply.charCodeAt(o + 4) * 16777216 + ((reply.charCodeAt(o + 5) << 16) | (reply.charCodeAt(o + 6) << 8) | reply.charCodeAt(o + 7));
    ts[k] = !sec && !frac ? NaN : (sec < Ntp.ERA / 2 ? sec + Ntp.ERA : sec) - Ntp.TO_2020 + frac / Ntp.ERA;
  }
  var tx = ts[0]!, rx = ts[1]!, rtt = recvAt - sentAt;
  if (!(tx === tx)) return { why: "no transmit time", final: true };
  if (!(rtt >= 0)) return { why: "round trip " + rtt + " s", final: true };
  // the server's own time between receive and transmit is no part of the network's delay
  var held = rx === rx ? tx - rx : 0;
  if (!(held >= 0 && held <= rtt)) held = 0;
  var t = tx + (rtt - held) / 2 + offset * 60;
  var when = dateTime(Clock.EPOCH_2020 + t), shown = "time " + when.join(" ");
  if (t < Clock.FLOOR) return { why: shown + " is before 2026", final: true };
  if (+when[0]!.substr(0, 4) >= Ntp.LAST_YEAR) return { why: shown + " is after 2099", final: true };
  if (t < low - Ntp.BEHIND) return { why: shown + " is " + Math.floor((low - t) / 3600) + " h before the journal's newest record", final: true };
  return { t: t, stratum: stratum, rtt: rtt };
}
