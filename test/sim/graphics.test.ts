import { strict as assert } from "assert";
import { runJs } from "./helpers";

describe("sim runtime: Graphics, crypto, net", () => {
  it("vertical_byte layouts: msb:false gives 1,2 and the default (msb:true) gives 128,64", () => {
    const out = runJs(`
      var a = Graphics.createArrayBuffer(8, 8, 1, {vertical_byte: true, msb: false}); a.setPixel(0, 0); a.setPixel(1, 1);
      var b = Graphics.createArrayBuffer(8, 8, 1, {vertical_byte: true}); b.setPixel(0, 0); b.setPixel(1, 1);
      var c = Graphics.createArrayBuffer(16, 2, 1); c.setPixel(0, 0); c.setPixel(9, 1);
      var u = new Uint8Array(a.buffer), v = new Uint8Array(b.buffer);
      console.log(u[0], u[1], v[0], v[1], new Uint8Array(c.buffer));`);
    assert.deepEqual(out, ["1 2 128 64 new Uint8Array([128, 0, 0, 64])"]);
  });

  it("128x64 vertical_byte is 1,024 bytes; the buffer option is used in place", () => {
    const out = runJs(`var buf = new ArrayBuffer(1024);
      var g = Graphics.createArrayBuffer(128, 64, 1, {vertical_byte: true, msb: false, buffer: buf});
      g.fillRect(0, 8, 1, 9); console.log(g.buffer === buf, buf.byteLength, new Uint8Array(buf)[128], new Uint8Array(buf)[129]);`);
    assert.deepEqual(out, ["true 1024 3 3"]);
  });

  it("drawing: lines, rects, clear, getModified", () => {
    const out = runJs(`var g = Graphics.createArrayBuffer(8, 8, 1);
      g.drawLine(0, 0, 7, 7); var n = 0; for (var i = 0; i < 8; i++) n += g.getPixel(i, i);
      g.getModified(true); g.drawRect(2, 2, 5, 5);
      console.log(n, JSON.stringify(g.getModified()), g.getPixel(3, 2), g.getPixel(4, 3));
      g.setBgColor(1).clear(); console.log(g.getPixel(4, 4)); g.setBgColor(0).clearRect(0, 0, 7, 7); console.log(g.getPixel(4, 4));`);
    assert.deepEqual(out, ['8 {"x1":2,"y1":2,"x2":5,"y2":5} 1 0', "1", "0"]);
  });

  it("custom font: column-major bits, widths string, alignment, solid background, wrap", () => {
    // 2 glyphs, height 3: 'A' 2 columns (111, 101) and 'B' 1 column (010)
    // bit stream: 111 101 010 -> 11110101 0(0000000)
    const out = runJs(`var g = Graphics.createArrayBuffer(8, 8, 1);
      g.setFontCustom(String.fromCharCode(0xF5, 0x00), 65, String.fromCharCode(2, 1), 3);
      console.log(g.stringWidth("AB"), g.stringWidth("AB\\nA"), g.getFontHeight());
      g.drawString("AB", 0, 0);
      var rows = []; for (var y = 0; y < 3; y++) { var r = ""; for (var x = 0; x < 3; x++) r += g.getPixel(x, y); rows.push(r); }
      console.log(rows.join("/"));
      g.clear(); g.setFontAlign(1, 1); g.drawString("A", 8, 8);
      console.log(g.getPixel(6, 5), g.getPixel(7, 5), g.getPixel(5, 5));
      console.log(JSON.stringify(g.wrapString("AB AB ABAB", 4)));
      try { g.setFont("6x8"); } catch (e) { console.log(e.message); }`);
    assert.deepEqual(out, [
      "3 3 3",
      "110/101/110",
      "1 1 0",
      '["AB","AB","AB","AB"]',
      'Graphics.setFont("6x8"): built-in fonts are not emulated: use setFontCustom',
    ]);
  });

  it("crypto: SHA256, SHA1, PBKDF2, AES-CBC round trip (ArrayBuffers)", () => {
    const out = runJs(`var c = require("crypto");
      function hex(ab) { var u = new Uint8Array(ab), s = ""; for (var i = 0; i < u.length; i++) s += (u[i] < 16 ? "0" : "") + u[i].toString(16); return s; }
      console.log(hex(c.SHA256("abc")).slice(0, 16), hex(c.SHA1("abc")).slice(0, 16), c.SHA256("abc") instanceof ArrayBuffer);
      console.log(hex(c.PBKDF2("password", "salt", {keySize: 5, iterations: 1})));
      var key = "0123456789abcdef", iv = "fedcba9876543210";
      var enc = c.AES.encrypt("sixteen byte msg", key, {iv: iv});
      console.log(E.toString(c.AES.decrypt(enc, key, {iv: iv})), enc.byteLength);`);
    assert.deepEqual(out, [
      "ba7816bf8f01cfea a9993e364706816a true",
      "0c60c80f961f0e71f3a9b524af6012062fe037a6", // RFC 6070 test vector 1
      "sixteen byte msg 16",
    ]);
  });

  it("net and Wifi over the virtual network", () => {
    const { boot } = require("./helpers");
    const w = boot(`require("Wifi").connect("lab", {password: "x"}, function (err) {
        console.log("wifi", err);
        require("net").connect({host: "acq", port: 9000}, function (s) {
          s.on("data", function (d) { console.log("got", d); s.end(); });
          s.on("close", function () { console.log("closed"); });
          s.write("ping");
        });
      });`);
    w.net.listen("acq", 9000, (s: any) => s.onData((d: string) => s.write("pong:" + d)));
    w.run(5);
    assert.deepEqual(w.console, ["wifi null", "got pong:ping", "closed"]);
  });

  it("Wifi reports a dropped link and reconnects when it returns", () => {
    const { boot } = require("./helpers");
    const w = boot(`var wifi = require("Wifi");
      wifi.on("connected", function () { console.log("connected", getTime().toFixed(1)); });
      wifi.on("disconnected", function (d) { console.log("disconnected", d.reason, getTime().toFixed(1)); });
      wifi.connect("lab", {}, function (err) { console.log("cb", err); });`);
    w.clock.at(3, () => w.net.setUp(false));
    w.clock.at(5, () => w.net.setUp(true));
    w.run(10);
    assert.deepEqual(w.console, ["cb null", "connected 1.5", "disconnected link down 3.0", "connected 6.5"]);
  });

  it("Wifi.connect fails while the link is down", () => {
    const { boot } = require("./helpers");
    const w = boot(`require("Wifi").connect("lab", {}, function (err) { console.log("wifi", err); });`);
    w.net.setUp(false);
    w.run(5);
    assert.deepEqual(w.console, ["wifi auth_fail"]);
  });
});
