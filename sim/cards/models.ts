// Card models for the virtual PN532: what answers in the RF field. A UID-only card
// (MIFARE Classic-like, SAK 08, no APDUs) and ISO-DEP EMV cards scripted from APDU traces
// (test/fixtures/cards/emv-*.json): each command is matched exactly, or by its 4-byte header
// for commands carrying terminal data (GPO), and answered with the recorded response.
import * as fs from "fs";
import * as path from "path";
import { fromHex, toHex } from "../hex";

export interface CardModel {
  name: string;
  uid: Uint8Array;
  /** ATQA as sent by the PN532 (2 bytes, big endian) */
  sensRes: number;
  selRes: number;
  ats: Uint8Array | null;
  /** R-APDU for a C-APDU; null = the card does not answer (status timeout) */
  apdu(cmd: Uint8Array): Uint8Array | null;
  /** every C-APDU received (tests) */
  log: string[];
}

export function uidCard(uidHex = "DEADBEEF"): CardModel {
  return { name: "uid-only", uid: fromHex(uidHex)!, sensRes: 0x0004, selRes: 0x08, ats: null, apdu: () => null, log: [] };
}

export interface ApduTrace {
  name: string; uid: string; atqa: string; sak: string; ats: string;
  exchanges: { c: string; r: string; match?: "header" }[];
  expect: { pan: string; expiry?: string; serviceCode?: string; name?: string; uid?: string };
}

export function traceCard(t: ApduTrace): CardModel {
  const card: CardModel = {
    name: t.name, uid: fromHex(t.uid)!, sensRes: parseInt(t.atqa, 16), selRes: parseInt(t.sak, 16), ats: fromHex(t.ats)!, log: [],
    apdu(cmd) {
      const c = toHex(cmd);
      card.log.push(c);
      const x = t.exchanges.find((e) => e.c === c) ?? t.exchanges.find((e) => e.match === "header" && c.startsWith(e.c));
      return fromHex(x ? x.r : "6D00")!; // INS not supported
    },
  };
  return card;
}

export const TRACE_DIR = path.join(__dirname, "../../test/fixtures/cards");

export function loadTraces(): ApduTrace[] {
  return fs.readdirSync(TRACE_DIR).filter((f) => f.startsWith("emv-") && f.endsWith(".json")).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(TRACE_DIR, f), "utf8")) as ApduTrace);
}

export function traceByName(name: string): ApduTrace {
  const t = loadTraces().find((x) => x.name === name);
  if (!t) throw new Error("no APDU trace " + name);
  return t;
}
