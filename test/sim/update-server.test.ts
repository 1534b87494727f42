// pos-sim update-server and update-serial: argument errors, and the server's protocol over a
// real TCP socket (the pieces the command wires: net.Server, wrapSocket, UpdateServer).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { run as serverCmd } from "../../sim/commands/update-server";
import { run as serialCmd } from "../../sim/commands/update-serial";
import { wrapSocket } from "../../sim/acquirer/tcp";
import { UpdateServer } from "../../sim/update/server";
import { protocol, TEST_UPDATE_KEY } from "../../sim/update/image";

async function quiet(fn: () => Promise<number>): Promise<{ code: number; err: string }> {
  const errs: string[] = [];
  const e = console.error, l = console.log;
  console.error = (...a: any[]) => { errs.push(a.join(" ")); };
  console.log = () => {};
  try { return { code: await fn(), err: errs.join("\n") }; } finally { console.error = e; console.log = l; }
}

describe("pos-sim update-server / update-serial", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upd-"));
  const image = "var x = 1; // POSFW v4 jf1\n" + "y".repeat(3000);
  const bundle = path.join(dir, "fw.js");
  fs.writeFileSync(bundle, image, "latin1");
  fs.writeFileSync(path.join(dir, "plain.js"), "var x = 1;");

  it("refuses bad arguments with one line and exit 2, a bundle without a tag with exit 1", async () => {
    assert.equal((await quiet(() => serverCmd(["--key", TEST_UPDATE_KEY]))).code, 2);
    const badKey = await quiet(() => serverCmd(["--bundle", bundle, "--key", "abc"]));
    assert.equal(badKey.code, 2);
    assert.match(badKey.err, /update key must be 32\.\.64 hex digits/);
    assert.equal((await quiet(() => serverCmd(["--bundle", path.join(dir, "none.js"), "--key", TEST_UPDATE_KEY]))).code, 2);
    const plain = await quiet(() => serverCmd(["--bundle", path.join(dir, "plain.js"), "--key", TEST_UPDATE_KEY]));
    assert.equal(plain.code, 1);
    assert.match(plain.err, /not a POS firmware bundle/);
    assert.equal((await quiet(() => serialCmd(["--bundle", bundle, "--key", TEST_UPDATE_KEY]))).code, 2, "no --port");
  });

  it("serves the offer and byte ranges over real TCP, and answers a bad frame with E and a close", async () => {
    const srv = new UpdateServer({ image, keyHex: TEST_UPDATE_KEY });
    const server = net.createServer((s) => srv.handle(wrapSocket(s)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const p = protocol();
    const talk = (frames: string[]) => new Promise<string>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => { for (const f of frames) s.write(Buffer.from(f, "latin1")); });
      let buf = "";
      s.on("data", (d) => { buf += d.toString("latin1"); });
      s.on("close", () => resolve(buf));
      setTimeout(() => s.end(), 300);
    });
    try {
      let got = await talk([p.frame("Q", "T1 1 1"), p.frame("G", p.u32(1000) + "\x00\x10")]);
      const a = p.parse(got) as any;
      assert.equal(a.frame.type, "O");
      assert.equal(p.decodeOffer(a.frame.payload)!.version, 4);
      const b = p.parse(a.rest) as any;
      assert.equal(b.frame.type, "D");
      assert.equal(b.frame.payload, p.u32(1000) + image.slice(1000, 1016));
      got = await talk(["GET / HTTP/1.0\r\n\r\n"]);
      assert.deepEqual((p.parse(got) as any).frame, { type: "E", payload: "bad frame start" });
      got = await talk([p.frame("G", p.u32(image.length) + "\x00\x10")]);
      assert.match((p.parse(got) as any).frame.payload, /bad range/);
    } finally { server.close(); }
  });
});
