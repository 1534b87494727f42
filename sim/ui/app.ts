// The interactive terminal: keyboard in, frames out, virtual time paced to the wall clock.
import { renderScreen, ViewState, helpOverlay, choiceOverlay } from "./layout";
import { TerminalRenderer } from "./canvas";
import { UiWorld, Choice } from "./world";

export interface UiOptions {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  /** virtual seconds per wall second */
  speed?: number;
  snapshotDir?: string;
}

type Mode = { kind: "normal" } | { kind: "help" } | { kind: "choose"; title: string; choices: Choice[]; pick: (c: Choice) => void };

/** terminal key sequences -> keypad keys */
const KEYPAD_KEYS: { [seq: string]: string } = {
  "\r": "ENTER", "\n": "ENTER", "\x7f": "CLEAR", "\b": "CLEAR", "\x1b": "CANCEL", m: "MENU", f: "FUNC", ".": "00",
};

export class TerminalUi {
  private view: ViewState = { receiptScroll: 0, logScroll: 0, message: "Press ? for help.", overlay: null, progress: null };
  private mode: Mode = { kind: "normal" };
  private renderer: TerminalRenderer;
  private timer: NodeJS.Timeout | undefined;
  private lastWall = 0;
  private finished: (() => void) | undefined;

  constructor(private world: UiWorld, private opts: UiOptions) {
    this.renderer = new TerminalRenderer((s) => opts.output.write(s));
  }

  /** runs until the user quits */
  run(): Promise<void> {
    const { input, output } = this.opts;
    output.write("\x1b[?1049h\x1b[?25l\x1b[2J");
    if (input.isTTY) input.setRawMode(true);
    input.resume();
    input.on("data", this.onData);
    output.on("resize", this.onResize);
    this.lastWall = Date.now();
    this.timer = setInterval(() => this.tick(), 50);
    this.draw();
    return new Promise((resolve) => { this.finished = resolve; });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.opts.input.off("data", this.onData);
    this.opts.output.off("resize", this.onResize);
    if (this.opts.input.isTTY) this.opts.input.setRawMode(false);
    this.opts.input.pause();
    this.opts.output.write("\x1b[0m\x1b[?25h\x1b[?1049l");
    this.finished?.();
  }

  private onResize = (): void => { this.renderer.reset(); this.opts.output.write("\x1b[2J"); this.draw(); };

  private tick(): void {
    const now = Date.now();
    const dt = Math.min(0.5, (now - this.lastWall) / 1000) * (this.opts.speed ?? 1);
    this.lastWall = now;
    try {
      this.world.advance(dt);
    } catch (e) {
      // a simulator fault must not kill the session: show it and keep the state inspectable
      this.view.message = "simulator error: " + ((e as Error).message ?? String(e));
    }
    this.draw();
  }

  draw(): void {
    const cols = this.opts.output.columns || 80, rows = this.opts.output.rows || 40;
    this.renderer.render(renderScreen(this.world, this.view, cols, rows));
  }

  private onData = (buf: Buffer): void => {
    const s = buf.toString("latin1");
    // several keys can arrive in one chunk (paste, tmux send-keys); escape sequences stay whole
    for (const key of splitKeys(s)) this.onKey(key);
    this.draw();
  };

  onKey(key: string): void {
    if (key === "\x03") return this.stop();
    if (this.mode.kind === "help") { this.closeOverlay(); return; }
    if (this.mode.kind === "choose") {
      const m = this.mode;
      if (key === "\x1b") { this.closeOverlay(); return; }
      const n = parseInt(key, 10);
      if (n >= 1 && n <= m.choices.length) { this.closeOverlay(); m.pick(m.choices[n - 1]!); }
      return;
    }
    const w = this.world;
    if (key >= "0" && key <= "9" && key.length === 1) return this.press(key);
    if (KEYPAD_KEYS[key]) return this.press(KEYPAD_KEYS[key]!);
    switch (key) {
      case "q": return this.stop();
      case "?": case "h": this.mode = { kind: "help" }; this.view.overlay = helpOverlay(); return;
      case "p":
        if (w.powered()) { w.powerCut(); this.say("Power cut."); } else { w.powerOn(); this.say("Power restored: the firmware boots."); }
        return;
      case "n": w.setNet(!w.netUp()); this.say(w.netUp() ? "Network restored." : "Network dropped."); return;
      case "o":
        if (!w.paper) return this.say("This board has no printer.");
        w.paper.set(!w.paper.out()); this.say(w.paper.out() ? "Paper out." : "Paper loaded."); return;
      case "s":
        if (!w.swipe) return this.say("This board has no magnetic stripe reader.");
        return this.choose("Swipe a card", w.swipe.cards, (c) => { w.swipe!.swipe(c.id); this.say(`Swiped: ${c.label}`); });
      case "t":
        if (!w.nfc) return this.say("This board has no NFC reader.");
        return this.choose("Tap a card", w.nfc.cards, (c) => { w.nfc!.tap(c.id); this.say(`Tapped: ${c.label} (r removes it)`); });
      case "r":
        if (!w.nfc) return this.say("This board has no NFC reader.");
        w.nfc.remove(); return this.say("Card removed from the field.");
      case "a":
        if (!w.acquirer) return this.say("No acquirer simulator attached.");
        return this.choose("Acquirer fault mode", [{ id: "", label: "none (normal answers)" }, ...w.acquirer.faults], (c) => {
          w.acquirer!.set(c.id || null); this.say(`Acquirer fault: ${c.id ? c.label : "none"}`);
        });
      case "u":
        if (!w.sntp) return this.say("This board has no SNTP server.");
        return this.choose("SNTP fault (next request)", [{ id: "", label: "none (good answers)" }, ...w.sntp.faults], (c) => {
          w.sntp!.set(c.id || null); this.say(`SNTP fault: ${c.id ? c.label + " for the next request" : "none"}`);
        });
      case "x": return this.snapshot();
      case "c": return this.campaign();
      case "\x1b[5~": this.view.receiptScroll += 5; return;
      case "\x1b[6~": this.view.receiptScroll = Math.max(0, this.view.receiptScroll - 5); return;
      case "[": this.view.logScroll += 5; return;
      case "]": this.view.logScroll = Math.max(0, this.view.logScroll - 5); return;
      default: this.say(`Unbound key ${JSON.stringify(key)}: press ? for help.`);
    }
  }

  private press(key: string): void {
    if (!this.world.keypad) return this.say("This board has no keypad.");
    this.world.keypad.tap(key);
  }

  private say(msg: string): void { this.view.message = msg; }

  private choose(title: string, choices: Choice[], pick: (c: Choice) => void): void {
    if (!choices.length) return this.say(`${title}: nothing to choose from.`);
    this.mode = { kind: "choose", title, choices, pick };
    this.view.overlay = choiceOverlay(title, choices);
  }

  private closeOverlay(): void { this.mode = { kind: "normal" }; this.view.overlay = null; }

  private snapshot(): void {
    try {
      const files = this.world.snapshot(this.opts.snapshotDir ?? "snapshots");
      this.say(files.length ? `Snapshot: ${files.join(", ")}` : "Nothing to snapshot.");
    } catch (e) {
      this.say("Snapshot failed: " + (e as Error).message);
    }
  }

  private campaign(): void {
    const run = this.world.campaign;
    if (!run) return this.say("No campaign available for this board.");
    if (this.view.progress) return this.say("A campaign is already running.");
    this.view.progress = { label: "power-cut campaign", done: 0, total: 0, failures: 0 };
    run((done, total, failures) => { this.view.progress = { label: "power-cut campaign", done, total, failures }; })
      .then((r) => { this.view.progress = null; this.say(`Campaign: ${r.cases} cuts, ${r.failures} failures${r.detail[0] ? ": " + r.detail[0] : ""}`); })
      .catch((e) => { this.view.progress = null; this.say("Campaign failed: " + (e as Error).message); });
  }
}

/** splits a chunk of terminal input into keys, keeping escape sequences whole */
export function splitKeys(s: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < s.length;) {
    if (s[i] === "\x1b" && s[i + 1] === "[") {
      let j = i + 2;
      while (j < s.length && !/[~A-Za-z]/.test(s[j]!)) j++;
      keys.push(s.slice(i, j + 1));
      i = j + 1;
    } else {
      keys.push(s[i]!);
      i++;
    }
  }
  return keys;
}
