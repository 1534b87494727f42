// The scenario target on the simulator: the built bundle on the board's virtual parts
// (sim/harness.ts) with the acquirer simulator in-process on the virtual network. The screen
// is read back off the virtual SSD1306's RAM (screen-text.ts); the receipt is the virtual
// printer's paper; the ledger is the acquirer's view of this terminal. A scenario's
// "updateServer" puts a firmware update server on the virtual network (offerUpdate).
import * as fs from "fs";
import { WORLD_EPOCH_MS, WORLD_UTC_OFFSET_MINUTES } from "../bus/clock";
import { SntpServer } from "../bus/sntp";
import { createWorld, readBoard, World, WorldOptions } from "../harness";
import { testCert, testServerCredentials, TlsCredentials } from "../bus/tls";
import { Acquirer, AcquirerOptions } from "../acquirer/acquirer";
import { Target } from "./runner";
import { readScreen } from "./screen-text";
import { swipeCard, tapTrace } from "./cards";
import { traceByName, traceCard, uidCard } from "../cards/models";
import { defaultSettings } from "../../firmware/app/settings";
import { UpdateServer } from "../update/server";
import { imageInfo, withVersion, TEST_UPDATE_KEY } from "../update/image";
import type { Scenario, UpdateServerSpec } from "./format";

/** where the firmware's default settings point the host link */
export const ACQUIRER_HOST = defaultSettings().host;
export const ACQUIRER_PORT = defaultSettings().port;
export const TID = defaultSettings().tid;
/** a tapped card leaves the field after this long */
export const TAP_HOLD = 3;
/** paper left on a "low" roll: less than one receipt */
export const PAPER_LOW_MM = 40;

export interface SimTargetOptions extends Partial<WorldOptions> {
  acquirer?: AcquirerOptions;
  /** TLS boards (hostLink.transport "tls"): the CA certificate (DER) provisioned in Storage as
   *  acq-ca.der (default: the TEST ONLY ca.der; null: none) */
  tlsCa?: Uint8Array | null;
  /** TLS boards: what the acquirer serves (default: the TEST ONLY server certificate) */
  acquirerTls?: TlsCredentials;
  /** an update server offering the bundle as a new version (a scenario's "updateServer") */
  updateServer?: UpdateServerSpec;
}

/** what a scenario file sets on its target besides the board */
export function scenarioOptions(sc: Scenario): Pick<SimTargetOptions, "acquirer" | "updateServer"> {
  return { acquirer: sc.acquirer, updateServer: sc.updateServer };
}

/** the update server's port: the terminal pulls updates from the acquirer host at port + 1
 *  (docs/update.md) */
export const UPDATE_PORT = ACQUIRER_PORT + 1;

/** An update server on the world's network (docs/update.md) offering its bundle as version
 *  spec.version (default: the bundle's tag version + 1), signed with spec.key (default: the
 *  firmware's TEST ONLY default update key); what it serves and hears goes to world.log.
 *  Throws when the bundle cannot be read or has no firmware tag. */
export function offerUpdate(world: World, spec: UpdateServerSpec = {}): UpdateServer {
  let src: string;
  try { src = fs.readFileSync(world.bundlePath, "latin1"); } catch (e) {
    throw new Error(`updateServer: cannot read the bundle ${world.bundlePath}: ${(e as Error).message}`);
  }
  const info = imageInfo(src);
  if (!info) throw new Error(`updateServer: ${world.bundlePath} is not a POS firmware bundle (no POSFW tag): nothing to offer`);
  const server = new UpdateServer({ image: withVersion(src, spec.version ?? info.version + 1), keyHex: spec.key ?? TEST_UPDATE_KEY,
    log: (l) => world.log.push("[update-server] " + l) });
  server.attach(world.net, ACQUIRER_HOST, UPDATE_PORT);
  return server;
}

/** the Storage file a TLS terminal reads its CA certificate from (firmware/main.ts) */
export const CA_FILE = "acq-ca.der";

export class SimTarget implements Target {
  world: World;
  acquirer: Acquirer;
  updateServer: UpdateServer | null = null;
  /** the virtual SNTP server at the board's `sntp` host and port (null: the board has none) */
  sntp: SntpServer | null = null;

  constructor(o: SimTargetOptions = {}) {
    const board = typeof o.board === "object" ? o.board : readBoard(o.board ?? "pos-esp32-v1");
    const tls = board.hostLink.transport === "tls";
    const files = { ...o.storageFiles };
    if (tls && o.tlsCa !== null) files[CA_FILE] = o.tlsCa ?? testCert("ca.der");
    // the acquirer listens before the firmware boots: the boot echo (docs/time.md) is its
    // first message
    this.world = createWorld({ board: "pos-esp32-v1", ...o, storageFiles: files, boot: false } as WorldOptions);
    const clock = this.world.clock;
    this.acquirer = new Acquirer({ now: () => WORLD_EPOCH_MS + clock.now() * 1000, ...o.acquirer,
      after: (ms, fn) => clock.after(ms / 1000, fn), cancel: (h) => clock.cancel(h as number) });
    this.acquirer.attach(this.world.net, ACQUIRER_HOST, ACQUIRER_PORT, tls ? o.acquirerTls ?? testServerCredentials() : undefined);
    if (o.updateServer) this.updateServer = offerUpdate(this.world, o.updateServer);
    // UTC from the same world clock: the acquirer's local time less the world's UTC offset
    const sntp = this.world.board.sntp;
    if (sntp) this.sntp = new SntpServer(this.world.net, { host: sntp.host, port: sntp.port, clock,
      utcMs: () => WORLD_EPOCH_MS + clock.now() * 1000 - WORLD_UTC_OFFSET_MINUTES * 60000, log: (l) => this.world.log.push(l) });
    if (o.boot !== false) this.world.powerOn();
  }

  part(role: string): any {
    const p = this.world.parts[role];
    if (!p) throw new Error(`the board has no ${role} part`);
    return p;
  }

  now(): number { return this.world.clock.now(); }
  run(seconds: number): void { this.world.run(seconds); }
  press(key: string): void { this.part("keypad").tap(key); }
  swipe(card: string): void {
    const c = swipeCard(card);
    this.part("msr").swipe({ track1: c.track1, track2: c.track2 }, c.options);
  }
  tap(card: string): void {
    const t = tapTrace(card);
    const nfc = this.part("nfc");
    nfc.tap(t === "uid" ? uidCard() : traceCard(traceByName(t)));
    this.world.clock.after(TAP_HOLD, () => nfc.remove());
  }
  powerCut(): void { this.world.powerCut(); }
  powerOn(): void { this.world.powerOn(); }
  network(up: boolean): void { this.world.net.setUp(up); }
  paper(state: "out" | "in" | "low"): void {
    const p = this.part("printer");
    if (state === "in") p.loadPaper();
    else if (state === "low") p.setRoll(PAPER_LOW_MM);
    else p.setPaperOut(true);
  }
  acquirerFault(rule: any): void { this.acquirer.inject(rule); }
  sntpFault(rule: { fault: string; count?: number }): void {
    if (!this.sntp) throw new Error(`board ${this.world.board.name} has no SNTP server (board file "sntp")`);
    this.sntp.inject(rule.fault as any, rule.count ?? 1);
  }
  private shown: { key: string; lines: string[]; ram: Uint8Array | null; glass: string } = { key: "", lines: [], ram: null, glass: "" };

  private glassBuf: Uint8Array | undefined;

  screen(): string[] {
    const d = this.world.parts["display"] as any;
    if (d && typeof d.lit === "function") {
      // read the glass again only after the panel saw traffic or a power change, and only
      // when what it shows changed (same RAM and registers: same text)
      const key = `${d.stats?.transactions}:${this.world.powered}:${d.displayOn}`;
      if (key === this.shown.key && d.stats) return this.shown.lines;
      const ram: Uint8Array | null = d.ram instanceof Uint8Array && typeof d.glassSignature === "function" ? d.ram : null;
      const glass = ram ? d.glassSignature() : "";
      const prev = this.shown;
      if (ram && prev.ram && glass === prev.glass && Buffer.compare(ram, prev.ram) === 0) { prev.key = key; return prev.lines; }
      const lines = readScreen({ width: d.width ?? 128, height: d.height ?? 64, lit: (x, y) => d.lit(x, y),
        pixels: typeof d.glass === "function" ? (this.glassBuf = d.glass(this.glassBuf)) : undefined });
      this.shown = { key, lines, ram: ram ? ram.slice() : null, glass };
      return lines;
    }
    const last = [...this.world.console].reverse().find((l) => l.startsWith("SCREEN "));
    return last ? last.slice(7).split(" | ") : [];
  }
  receipt(): string { const p = this.world.parts["printer"] as any; return p ? p.text() : ""; }
  ledger(): { [field: string]: any } {
    const l: any = this.acquirer.ledger(TID);
    return { ...l, violations: l.violations, totals: l.totals };
  }
  consoleLines(): string[] { return this.world.console; }
}
