// The ESP32 twin (../shared/espruino-twin: the real Espruino 2v29 interpreter built with the
// ESP32's memory and flash map) as a BoardLink: its console is driven through stdin/stdout,
// like the `twin` script does, from a fresh work directory holding a blank 4 MiB
// espruino.flash. Runs the binary directly, or through qemu-i386 where the kernel cannot run
// 32-bit programs. The twin spins on stdin EOF, so it is always killed (SIGKILL), never ended
// by closing its input.
import { spawn, spawnSync, ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StreamLink } from "../../tools/flash";
import { ROOT } from "../../tools/paths";

export const TWIN_DIR = path.resolve(ROOT, "..", "shared", "espruino-twin");
const BIN = path.join(TWIN_DIR, "espruino-esp32twin");

/** how to run the twin here, or why it cannot run (a reason to skip) */
export function twinCommand(): { cmd: string[] } | { skip: string } {
  if (!fs.existsSync(BIN)) return { skip: "the ESP32 twin is not installed (" + BIN + " absent)" };
  // as the twin script does: bash reports 126 when the kernel cannot exec it (Node's spawn
  // would hand an unrunnable binary to /bin/sh instead)
  const direct = spawnSync("bash", ["-c", '"$0" -h >/dev/null 2>&1; echo $?', BIN], { encoding: "utf8", timeout: 10000 });
  if (!direct.error && Number(direct.stdout.trim()) < 126) return { cmd: [BIN] };
  const q = spawnSync("qemu-i386", ["--version"], { timeout: 10000 });
  if (q.error || q.status !== 0) return { skip: "this kernel cannot run the 32-bit twin and qemu-i386 is missing (apt-get install qemu-user)" };
  return { cmd: ["qemu-i386", BIN] };
}

export class Twin {
  readonly link: StreamLink;
  private proc: ChildProcess;
  readonly dir: string;
  exited = false;

  private constructor(cmd: string[]) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "twin-"));
    fs.writeFileSync(path.join(this.dir, "espruino.flash"), Buffer.alloc(4 * 1024 * 1024, 0xff));
    this.proc = spawn(cmd[0]!, cmd.slice(1), { cwd: this.dir, stdio: ["pipe", "pipe", "pipe"] });
    this.link = new StreamLink((s) => { if (!this.exited) this.proc.stdin!.write(s, "latin1"); }, () => this.kill());
    this.proc.stdout!.on("data", (d: Buffer) => this.link.feed(d.toString("latin1")));
    this.proc.stderr!.on("data", (d: Buffer) => this.link.feed(d.toString("latin1")));
    this.proc.stdin!.on("error", () => {});
    this.proc.on("exit", () => { this.exited = true; });
  }

  /** starts a twin and waits for its first prompt */
  static async start(cmd: string[], ms = 30000): Promise<Twin> {
    const t = new Twin(cmd);
    const end = Date.now() + ms;
    while (!/\n>/.test(t.link.transcript)) {
      if (t.exited || Date.now() > end) { t.kill(); throw new Error("the twin did not start: " + t.link.transcript.slice(-200)); }
      await new Promise((r) => setTimeout(r, 50));
    }
    return t;
  }

  /** waits until the console transcript matches */
  async waitFor(re: RegExp, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!re.test(this.link.transcript)) {
      if (this.exited || Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  }

  kill(): void {
    if (!this.exited) this.proc.kill("SIGKILL");
    this.exited = true;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
