// The update service: serves one firmware image to terminals that pull it with the protocol of
// firmware/update/protocol.ts, on the simulator's virtual network (attach) or real TCP
// (sim/commands/update-server.ts). Each connection: Q -> the offer (O), G -> the bytes asked
// (D), anything malformed -> E and close. Faults for tests: drop the link after N data frames.
import type { VirtualNetwork, VirtualSocket } from "../bus/types";
import type { Offer } from "../../firmware/update/protocol";
import { Wire } from "../../firmware/update/protocol";
import { makeOffer, protocol } from "./image";

export interface UpdateServerOptions {
  /** the image as an 8-bit string */
  image: string;
  keyHex: string;
  log?: (line: string) => void;
  /** tests: override what the offer declares, or tamper with the bytes served */
  offer?: Partial<Offer>;
  tamper?: (offset: number, data: string) => string;
}

export class UpdateServer {
  readonly offer: Offer;
  /** outcomes the terminals reported (B frames) and data frames served */
  outcomes: string[] = [];
  served = 0;
  /** tests: lines for the log option to collect */
  log: string[] = [];
  /** drop the connection after this many more data frames (tests) */
  dropAfter = -1;
  private readonly proto = protocol();

  constructor(private o: UpdateServerOptions) {
    this.offer = { ...makeOffer(o.image, o.keyHex), ...o.offer };
  }

  attach(net: VirtualNetwork, host: string, port: number): void { net.listen(host, port, (s) => this.handle(s)); }

  handle(sock: VirtualSocket): void {
    const p = this.proto;
    const log = this.o.log ?? (() => {});
    let buf = "";
    let open = true;
    const send = (type: string, payload: string) => { if (open) sock.write(p.frame(type, payload)); };
    const refuse = (why: string) => { log(`refused: ${why}`); send("E", why); open = false; sock.end(); };
    sock.onClose(() => { open = false; });
    sock.onData((d) => {
      buf += d;
      while (open) {
        const r = p.parse(buf);
        if (!r) return;
        if ("error" in r) { refuse(r.error); return; }
        buf = r.rest;
        const f = r.frame;
        if (f.type === "Q") {
          log(`offer v${this.offer.version} (${this.offer.size} bytes) to ${f.payload}`);
          send("O", p.encodeOffer(this.offer));
        } else if (f.type === "G" && f.payload.length === 6) {
          const at = p.getU32(f.payload, 0), n = (f.payload.charCodeAt(4) << 8) | f.payload.charCodeAt(5);
          if (n < 1 || n > Wire.MaxData || at + n > this.o.image.length) { refuse(`bad range ${at}+${n}`); return; }
          if (this.dropAfter === 0) { this.dropAfter = -1; log("fault: link dropped"); open = false; sock.end(); return; }
          if (this.dropAfter > 0) this.dropAfter--;
          let data = this.o.image.slice(at, at + n);
          if (this.o.tamper) data = this.o.tamper(at, data);
          this.served++;
          send("D", p.u32(at) + data);
        } else if (f.type === "B") {
          log(`terminal: ${f.payload}`);
          this.outcomes.push(f.payload);
        } else { refuse(`unexpected frame ${f.type}`); return; }
      }
    });
  }
}
