// The serial path of the firmware update (docs/update.md, firmware/update/serial.ts): the console
// lines a host types, and a driver that types them into any BoardLink (a serial port, the ESP32
// twin) and checks each answer.
/** a console that answers typed lines (tools/flash.ts StreamLink: a serial port or the twin) */
export interface ConsoleLink { exchange(line: string, until: RegExp, ms: number): Promise<string>; }
import { protocol, makeOffer } from "./image";
import { Wire } from "../../firmware/update/protocol";

/** the console lines that install `image`: the offer, the data in Wire.MaxData pieces, finish */
export function serialLines(image: string, keyHex: string): string[] {
  const hex = Buffer.from(protocol().encodeOffer(makeOffer(image, keyHex)), "latin1").toString("hex");
  const lines = [`posUpdate("offer","${hex}")`];
  for (let at = 0; at < image.length; at += Wire.MaxData) {
    lines.push(`posUpdate("data",${at},"${Buffer.from(image.slice(at, at + Wire.MaxData), "latin1").toString("base64")}")`);
  }
  lines.push(`posUpdate("finish")`);
  return lines;
}

const ANSWER = /UPDATE (OK|ERR)([^\r\n]*)\r?\n/;

/** types every line, stops at the first UPDATE ERR; resolves with the last answer */
export async function serialUpdate(link: ConsoleLink, image: string, keyHex: string, progress: (l: string) => void = () => {}): Promise<string> {
  const lines = serialLines(image, keyHex);
  let last = "";
  for (let i = 0; i < lines.length; i++) {
    const out = await link.exchange(lines[i]!, ANSWER, 20000);
    const m = ANSWER.exec(out.slice(out.lastIndexOf("UPDATE ")))!;
    last = `UPDATE ${m[1]}${m[2]}`;
    if (m[1] === "ERR") return last;
    if (i % 20 === 0 || i === lines.length - 1) progress(`${i + 1}/${lines.length}: ${last}`);
  }
  return last;
}
