// A virtual SNTP server on the virtual network (RFC 4330 / RFC 5905 server mode), at the board
// file's `sntp` host and port, telling UTC from the simulated world's clock: the acquirer's
// local time (WORLD_EPOCH_MS + virtual seconds, sim/bus/clock.ts) less WORLD_UTC_OFFSET_MINUTES.
// Written from the RFC, not from the firmware's client (firmware/sntp.ts), so the two check
// each other. Faults for tests and scenarios, each for the next `count` requests:
//   no-answer      the request is dropped
//   wrong-origin   the origin timestamp is not the request's (a stale or spoofed reply)
//   kiss-of-death  stratum 0 with the kiss code RATE (the server says: stop asking)
//   bad-leap       leap indicator 3 (the server's clock is not synchronised)
//   not-server     mode 3 (a client's packet, not an answer)
//   short          40 bytes
//   late           answered after `lateSeconds` (default 8 s: after the terminal stopped waiting)
//   past           a good reply whose time is 2000-01-01 (before any time the firmware accepts)
// The link going down ({"network": "down"}) loses requests and replies (sim/bus/network.ts).
import type { Clock, UdpEndpoint, VirtualNetwork } from "./types";

/** seconds from 1900-01-01 (NTP's epoch) to 1970-01-01 */
export const NTP_UNIX = 2208988800;

export const SNTP_FAULTS = ["no-answer", "wrong-origin", "kiss-of-death", "bad-leap", "not-server", "short", "late", "past"] as const;
export type SntpFault = (typeof SNTP_FAULTS)[number];

/** a Unix time (seconds, fractional) as an NTP timestamp's 8 bytes (the era wraps at 2^32) */
export function ntpStamp(unix: number): Buffer {
  const b = Buffer.alloc(8);
  const whole = Math.floor(unix);
  b.writeUInt32BE((whole + NTP_UNIX) % 4294967296, 0);
  b.writeUInt32BE(Math.floor((unix - whole) * 4294967296), 4);
  return b;
}

export interface ReplyFields {
  li?: number; vn?: number; mode?: number; stratum?: number;
  /** reference ID, or the kiss code when stratum is 0 */
  refid?: string;
  /** the origin timestamp's 8 bytes (default: the request's transmit timestamp) */
  origin?: Uint8Array;
  /** Unix seconds; null: all zero (default: `unix`) */
  receive?: number | null;
  transmit?: number | null;
  /** bytes (default 48) */
  length?: number;
}

/** a server's reply to `request` when its clock reads `unix`, with fields overridden */
export function ntpReply(request: Uint8Array, unix: number, f: ReplyFields = {}): Buffer {
  const b = Buffer.alloc(48);
  b[0] = ((f.li ?? 0) << 6) | ((f.vn ?? 4) << 3) | (f.mode ?? 4);
  b[1] = f.stratum ?? 2;
  b[2] = 6; // poll: 64 s
  b[3] = 0xec; // precision: 2^-20 s
  Buffer.from((f.refid ?? "GPS").padEnd(4, "\0"), "latin1").copy(b, 12, 0, 4);
  ntpStamp(unix - 16).copy(b, 16); // reference: the server's own last sync
  Buffer.from(f.origin ?? request.subarray(40, 48)).copy(b, 24);
  if (f.receive !== null) ntpStamp(f.receive ?? unix).copy(b, 32);
  if (f.transmit !== null) ntpStamp(f.transmit ?? unix).copy(b, 40);
  const len = f.length ?? 48;
  return len <= 48 ? b.subarray(0, len) : Buffer.concat([b, Buffer.alloc(len - 48)]);
}

export interface SntpServerOptions {
  host: string;
  port: number;
  clock: Clock;
  /** UTC now, ms since 1970 */
  utcMs: () => number;
  stratum?: number;
  lateSeconds?: number;
  log?: (line: string) => void;
}

export class SntpServer {
  /** requests received, replies sent */
  stats = { requests: 0, replies: 0, ignored: 0 };
  /** one entry per request: virtual time and the fault applied ("" none) */
  trace: { t: number; fault: string }[] = [];
  private faults: { fault: SntpFault; left: number }[] = [];
  private ep: UdpEndpoint;

  constructor(net: VirtualNetwork, private o: SntpServerOptions) {
    this.ep = net.udpBind(o.host, o.port, (data, from) => this.request(data, from));
  }

  /** the next `count` requests get `fault` (queued after faults already injected) */
  inject(fault: SntpFault, count = 1): void {
    if (!SNTP_FAULTS.includes(fault)) throw new Error(`unknown SNTP fault "${fault}" (known: ${SNTP_FAULTS.join(", ")})`);
    if (!(Number.isInteger(count) && count >= 1)) throw new Error(`SNTP fault count must be a whole number >= 1, got ${count}`);
    this.faults.push({ fault, left: count });
  }

  /** drops the faults not yet applied */
  clearFaults(): void { this.faults = []; }

  close(): void { this.ep.close(); }

  private request(data: string, from: { address: string; port: number }): void {
    const req = Buffer.from(data, "latin1");
    // a server answers client-mode (3) requests of at least a header
    if (req.length < 48 || (req[0]! & 7) !== 3) { this.stats.ignored++; this.o.log?.(`sntp: ignored a ${req.length}-byte packet (mode ${req[0]! & 7})`); return; }
    this.stats.requests++;
    const f = this.faults[0];
    const fault = f ? f.fault : null;
    if (f && --f.left <= 0) this.faults.shift();
    this.trace.push({ t: this.o.clock.now(), fault: fault ?? "" });
    if (fault === "no-answer") return;
    const unix = this.o.utcMs() / 1000;
    const fields: ReplyFields = { stratum: this.o.stratum ?? 2, vn: (req[0]! >> 3) & 7 };
    if (fault === "wrong-origin") fields.origin = Buffer.from(req.subarray(40, 48).map((x) => x ^ 0x5a));
    if (fault === "kiss-of-death") { fields.stratum = 0; fields.refid = "RATE"; }
    if (fault === "bad-leap") fields.li = 3;
    if (fault === "not-server") fields.mode = 3;
    if (fault === "short") fields.length = 40;
    const reply = ntpReply(req, fault === "past" ? Date.UTC(2000, 0, 1) / 1000 : unix, fields).toString("latin1");
    const send = () => { this.stats.replies++; this.ep.send(from.address, from.port, reply); };
    if (fault === "late") this.o.clock.after(this.o.lateSeconds ?? 8, send);
    else send();
  }
}
