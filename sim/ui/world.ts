// What the terminal UI needs from a simulated terminal. sim/ui/bind.ts builds it from the
// harness world and its virtual parts; tests can pass a stand-in.

export interface Choice { id: string; label: string; }

export interface UiWorld {
  boardName: string;
  /** virtual seconds since the simulated world started */
  time(): number;
  /** advance virtual time (runs firmware and parts) */
  advance(seconds: number): void;

  powered(): boolean;
  powerCut(): void;
  powerOn(): void;

  netUp(): boolean;
  setNet(up: boolean): void;

  /** undefined when the board has no printer */
  /** columns: characters per line in font A (32 on 58 mm paper, 48 on 80 mm) */
  paper?: { out(): boolean; set(out: boolean): void; lines(): string[]; columns?: number };
  display?: { width: number; height: number; pixel(x: number, y: number): boolean; lit(): boolean };
  keypad?: { keys: string[][]; isDown(key: string): boolean; tap(key: string): void };
  swipe?: { cards: Choice[]; swipe(id: string): void };
  nfc?: { cards: Choice[]; tap(id: string): void; remove(): void };
  acquirer?: { faults: Choice[]; current(): string | null; set(id: string | null): void };
  /** the virtual SNTP server's fault for the next request (undefined: the board has no SNTP server) */
  sntp?: { faults: Choice[]; set(id: string | null): void };
  /** a one-word summary of card reader activity ("idle", "swipe", "tap"...) */
  readerActivity(): string;

  /** firmware console lines so far */
  consoleLines(): string[];
  /** a power-cut campaign over a sale in throw-away worlds (the live one is untouched);
   *  calls back after each case; resolves with the totals */
  campaign?: (onCase: (done: number, total: number, failures: number) => void) => Promise<{ cases: number; failures: number; detail: string[] }>;
  /** writes display.png and receipt.png (what exists) into dir; returns the paths */
  snapshot(dir: string): string[];
}
