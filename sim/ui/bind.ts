// Binds the terminal UI to a simulated terminal: the built bundle on the board's virtual parts
// with the acquirer simulator on the virtual network (sim/scenario/target-sim.ts).
import * as fs from "fs";
import * as path from "path";
import { SimTarget, TAP_HOLD } from "../scenario/target-sim";
import { swipeNames, tapTrace } from "../scenario/cards";
import { KEY_GAP } from "../scenario/runner";
import { UiWorld, Choice } from "./world";
import { SNTP_FAULTS, SntpFault } from "../bus/sntp";

const SWIPES: Choice[] = [
  { id: "visa-good", label: "Visa, good swipe" },
  { id: "mastercard", label: "Mastercard, good swipe" },
  { id: "amex", label: "Amex, good swipe" },
  { id: "visa-good-reversed", label: "Visa, swiped backwards" },
  { id: "visa-good-noisy", label: "Visa, noisy head (bit errors)" },
  { id: "visa-good-too-fast", label: "Visa, swiped far too fast" },
  { id: "luhn", label: "Bad card: fails the Luhn check" },
  { id: "month-13", label: "Bad card: expiry month 13" },
];
const TAPS: Choice[] = [
  { id: "visa-emv", label: "Visa contactless (qVSDC, PDOL)" },
  { id: "mc-emv", label: "Mastercard contactless (no PDOL)" },
  { id: "visa-emv-2", label: "Visa contactless, PAN in records only" },
  { id: "not-payment", label: "ISO-DEP card that is not a payment card" },
  { id: "uid-card", label: "MIFARE-like UID-only card" },
  { id: "visa-emv-remove", label: "Visa contactless, pulled away mid-read" },
];
const FAULTS: Choice[] = [
  { id: "noResponse", label: "no response (next request)" },
  { id: "late", label: "late response (after the terminal's timeout)" },
  { id: "garbled", label: "garbled response" },
  { id: "disconnectMid", label: "disconnect mid-message" },
  { id: "duplicate", label: "duplicate response" },
  { id: "rc95", label: "settlement answered 95 (forces batch upload)" },
];

export function bindWorld(target: SimTarget): UiWorld {
  const w = target.world;
  const parts = w.parts as Record<string, any>;
  let lastReader = { what: "idle", until: 0 };
  let fault: string | null = null;
  const reader = (what: string, seconds: number) => { lastReader = { what, until: w.clock.now() + seconds }; };

  const ui: UiWorld = {
    boardName: w.board.name,
    time: () => w.clock.now(),
    advance: (s) => w.run(s),
    powered: () => w.powered,
    powerCut: () => w.powerCut(),
    powerOn: () => w.powerOn(),
    netUp: () => w.net.up,
    setNet: (up) => w.net.setUp(up),
    readerActivity: () => (w.clock.now() < lastReader.until ? lastReader.what : "idle"),
    consoleLines: () => w.console,
    snapshot: (dir) => snapshot(target, dir),
  };
  if (parts.display) {
    const d = parts.display;
    ui.display = { width: d.width, height: d.height, pixel: (x, y) => d.lit(x, y) === 1, lit: () => d.displayOn };
  }
  if (parts.keypad) {
    const k = parts.keypad;
    // keys typed ahead (a paste, or several in one terminal read) are pressed one after
    // another, KEY_GAP apart in virtual time, as a person would
    let nextFree = 0;
    ui.keypad = {
      keys: (w.board.parts.keypad as any).keys,
      isDown: (key) => k.isDown(key),
      tap: (key) => {
        const at = Math.max(w.clock.now(), nextFree);
        nextFree = at + KEY_GAP;
        if (at <= w.clock.now()) k.tap(key);
        else w.clock.at(at, () => k.tap(key));
      },
    };
  }
  if (parts.printer) {
    const p = parts.printer;
    ui.paper = {
      out: () => !!p.paperOut,
      set: (out) => { if (out) p.setPaperOut(true); else p.loadPaper(); },
      lines: () => String(p.text()).split("\n"),
      // font A is 12 dots wide: the paper's width from the part (the board's, or the model's)
      columns: p.interp && p.interp.dots ? Math.floor(p.interp.dots / 12) : undefined,
    };
  }
  if (parts.msr) {
    ui.swipe = {
      cards: SWIPES.filter((c) => known(() => swipeNames(), c.id)),
      swipe: (id) => { target.swipe(id); reader("swipe", 1); },
    };
  }
  if (parts.nfc) {
    ui.nfc = {
      cards: TAPS,
      tap: (id) => {
        if (id === "visa-emv-remove") {
          target.tap("visa-emv");
          w.clock.after(0.05, () => parts.nfc.remove());
          reader("tap (removed)", 1);
          return;
        }
        tapTrace(id);
        target.tap(id);
        reader("card in field", TAP_HOLD);
      },
      remove: () => { parts.nfc.remove(); lastReader.until = 0; },
    };
  }
  ui.acquirer = {
    faults: FAULTS,
    current: () => fault,
    set: (id) => {
      target.acquirer.clearFaults();
      fault = id;
      if (!id) return;
      if (id === "rc95") target.acquirer.inject({ fault: "rc", rc: "95", mti: "0500", count: 1, process: false });
      else target.acquirer.inject({ fault: id as any, count: 1 });
    },
  };
  const sntp = target.sntp;
  if (sntp) {
    ui.sntp = {
      faults: SNTP_FAULTS.map((f) => ({ id: f, label: f })),
      set: (id) => { sntp.clearFaults(); if (id) sntp.inject(id as SntpFault, 1); },
    };
  }
  return ui;
}

function known(names: () => string[], id: string): boolean {
  const base = id.replace(/-(reversed|noisy|too-fast)$/, "");
  return names().includes(base) || names().includes("bad-" + base);
}

/** display.png and receipt.png of the current state */
export function snapshot(target: SimTarget, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const parts = target.world.parts as Record<string, any>;
  if (parts.display) {
    const f = path.join(dir, "display.png");
    fs.writeFileSync(f, parts.display.toPng({ scale: 4 }));
    files.push(f);
  }
  if (parts.printer) {
    const f = path.join(dir, "receipt.png");
    fs.writeFileSync(f, parts.printer.png(2));
    files.push(f);
  }
  return files;
}
