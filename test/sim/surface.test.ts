// Every Espruino API the project declares (firmware/types/espruino*.d.ts) exists in the
// simulator's context: a declaration without its emulation fails here.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { boot } from "./helpers";

const TYPES = path.resolve(__dirname, "..", "..", "firmware", "types");
/** how to reach an instance of each declared interface in the context */
const INSTANCE: Record<string, string> = {
  Pin: "D5", Serial: "Serial2", I2C: "I2C1", SPI: "SPI1", Graphics: "Graphics.createArrayBuffer(8, 8, 1)",
  FlashModule: 'require("Flash")', StorageModule: 'require("Storage")', NetModule: 'require("net")',
  WifiModule: 'require("Wifi")', CryptoModule: 'require("crypto")', Console: "console",
  NetSocket: 'require("net").connect({host: "nowhere", port: 1})',
  DgramModule: 'require("dgram")', DgramSocket: 'require("dgram").createSocket("udp4")',
};

function declared(): { globals: string[]; members: Record<string, string[]> } {
  const globals = new Set<string>();
  const members: Record<string, string[]> = {};
  for (const f of fs.readdirSync(TYPES).filter((n) => n.startsWith("espruino") && n.endsWith(".d.ts"))) {
    const sf = ts.createSourceFile(f, fs.readFileSync(path.join(TYPES, f), "utf8"), ts.ScriptTarget.Latest, true);
    const memberNames = (ms: ts.NodeArray<ts.TypeElement>) =>
      ms.filter((m) => m.name && ts.isIdentifier(m.name) && !(m as any).questionToken).map((m) => (m.name as ts.Identifier).text);
    sf.forEachChild((n) => {
      if (ts.isFunctionDeclaration(n) && n.name) globals.add(n.name.text);
      else if (ts.isVariableStatement(n)) {
        for (const d of n.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          globals.add(d.name.text);
          if (d.type && ts.isTypeLiteralNode(d.type)) members["=" + d.name.text] = memberNames(d.type.members);
        }
      } else if (ts.isInterfaceDeclaration(n) && INSTANCE[n.name.text]) {
        members[n.name.text] = [...(members[n.name.text] ?? []), ...memberNames(n.members)];
      }
    });
  }
  return { globals: [...globals], members };
}

describe("sim runtime: the declared Espruino surface is emulated", () => {
  it("every declared global, module member and interface member exists", () => {
    const { globals, members } = declared();
    assert.ok(globals.length > 20 && Object.keys(members).length > 8, "declarations not found");
    const w = boot("");
    const missing: string[] = [];
    const check = (expr: string) => {
      const t = w.mcu.realm.run(`(function(){ try { return typeof (${expr}); } catch (e) { return "throws: " + e.message; } })()`);
      if (t === "undefined" || String(t).startsWith("throws")) missing.push(`${expr} (${t})`);
    };
    for (const g of globals) check(g);
    for (const [owner, names] of Object.entries(members)) {
      const base = owner.startsWith("=") ? owner.slice(1) : INSTANCE[owner]!;
      for (const m of names) check(`${base}.${m}`);
    }
    assert.deepEqual(missing, []);
  });
});
