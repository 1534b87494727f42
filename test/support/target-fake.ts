// A scenario target on the fake ports (test/support/fake-ports.ts): the flow alone, no
// bundle. It checks the runner and the scenario files' logic; the simulator target
// (target-sim.ts) runs the same files on the real firmware.
import { FakeWorld, crc32, totalsOf } from "./fake-ports";
import { Target } from "../../sim/scenario/runner";
import { startApp } from "../../firmware/app/boot";
import { SettingsStore } from "../../firmware/app/settings";
import { swipeCard, tapPan } from "../../sim/scenario/cards";
import { EntryMode, brandOf } from "../../firmware/txn";

export class FakeTarget implements Target {
  w = new FakeWorld();
  private faults: { fault: string; count: number }[] = [];
  private netUp = true;
  private pendingReversals = 0;
  private printedText: string[] = [];

  constructor() { this.boot(); }

  private boot(): void {
    const s = new SettingsStore({ flash: this.w.flash, region: { base: 0xe000, sectors: 2, sectorSize: 4096 }, crc32 });
    const ports = this.w.ports();
    const host = ports.host;
    const self = this;
    const fin = host.financial;
    ports.host = {
      ...host,
      financial(req, cb) {
        const f = self.faults[0];
        if (!self.netUp) return cb({ code: "NO_LINK", message: "Host unreachable" });
        if (f) {
          if (--f.count <= 0) self.faults.shift();
          if (f.fault === "noResponse" || f.fault === "garbled" || f.fault === "disconnectMid") { self.pendingReversals++; return cb({ code: "NO_RESPONSE", message: "Timeout" }); }
          if (f.fault === "rc") { self.w.hostReply = { rc: (f as any).rc }; fin(req, cb); self.w.hostReply = { rc: "00" }; return; }
        }
        self.w.hostReply = { rc: req.amount % 100 === 51 ? "51" : "00" };
        fin(req, cb);
      },
    };
    const print = ports.printer.receipt;
    const report = ports.printer.report;
    ports.printer = {
      receipt(txn, copy, reprint, cb) {
        print(txn, copy, reprint, (err) => {
          if (!err) self.printedText.push(`${reprint ? "REPRINT " : ""}${copy.toUpperCase()} COPY ${txn.kind.toUpperCase()} ${txn.amount} STAN ${txn.stan} INVOICE ${txn.invoice} BATCH ${txn.batch} **** ${txn.last4}`);
          cb(err);
        });
      },
      onStatus() {},
      cancel() {},
      report(doc, cb) { report(doc, (err) => { if (!err) self.printedText.push(doc.title); cb(err); }); },
    };
    startApp(ports, s);
  }

  now(): number { return this.w.clock.t; }
  run(seconds: number): void { this.w.clock.advance(seconds); }
  press(key: string): void { this.w.key(key); }
  swipe(card: string): void {
    const c = swipeCard(card);
    if (!this.w.reading) return;
    if (!c.pan || c.options.bitErrors) { this.w.badRead(); return; }
    this.w.presentCard({ pan: c.pan, expiry: "3012", track2: c.track2 || "", entryMode: EntryMode.Swipe, brand: brandOf(c.pan) });
  }
  tap(card: string): void {
    const pan = tapPan(card);
    if (!this.w.reading) return;
    if (!pan) { this.w.badRead(); return; }
    this.w.presentCard({ pan, expiry: "3012", track2: "", entryMode: EntryMode.Tap, brand: brandOf(pan) });
  }
  powerCut(): void { /* the fake flow has no power; powerOn reboots */ }
  powerOn(): void { this.boot(); }
  network(up: boolean): void { this.netUp = up; }
  paper(state: "out" | "in" | "low"): void { this.w.paperOut = state !== "in"; }
  acquirerFault(rule: { fault: string; count?: number; rc?: string }): void { this.faults.push({ ...rule, count: rule.count ?? 1 }); }
  screen(): string[] { const s = this.w.screen; return s ? [s.title, ...s.lines, s.hint] : []; }
  receipt(): string { return this.printedText.join("\n"); }
  ledger(): { [field: string]: any } {
    const live = this.w.txns.filter((t) => t.state === "APPROVED" && t.kind !== "VOID");
    return { charges: live.length, doubleCharges: 0, reversed: this.pendingReversals, violations: 0, totals: totalsOf(this.w.txns) };
  }
  consoleLines(): string[] { return this.w.logs; }
}
