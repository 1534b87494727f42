// Writes test/fixtures/cards/emv-*.json: scripted EMV contactless cards as APDU traces
// (command -> response). Shapes follow pos-domain 4.2 (PPSE, FCI with/without PDOL, GPO
// format 1 and 2, READ RECORD per AFL). Run: npx tsx tools/make-traces.ts
import * as fs from "fs";
import * as path from "path";
import { ascii, tlv } from "./tlv-build";

const PPSE_NAME = ascii("2PAY.SYS.DDF01");
const SELECT_PPSE = "00A404000E" + PPSE_NAME + "00";
const OK = "9000";

function selectAid(aid: string): string { return "00A40400" + (aid.length / 2).toString(16).padStart(2, "0").toUpperCase() + aid + "00"; }
function ppse(entries: { aid: string; label: string; prio?: number }[]): string {
  const apps = entries.map((e) => tlv("61", tlv("4F", e.aid), tlv("50", ascii(e.label)), e.prio ? tlv("87", e.prio.toString(16).padStart(2, "0")) : ""));
  return tlv("6F", tlv("84", PPSE_NAME), tlv("A5", tlv("BF0C", ...apps))) + OK;
}
function fci(aid: string, label: string, pdol?: string): string {
  return tlv("6F", tlv("84", aid), tlv("A5", tlv("50", ascii(label)), pdol ? tlv("9F38", pdol) : "")) + OK;
}
function readRecord(rec: number, sfi: number): string {
  return "00B2" + rec.toString(16).padStart(2, "0").toUpperCase() + ((sfi << 3) | 4).toString(16).padStart(2, "0").toUpperCase() + "00";
}

interface Trace { name: string; description: string; uid: string; atqa: string; sak: string; ats: string; exchanges: { c: string; r: string; match?: "header" }[]; expect: any; }

const VISA = "A0000000031010", MC = "A0000000041010", MAESTRO = "A0000000043060";
const visaPdol = "9F66049F02069F03069F1A0295055F2A029A039C019F3704";

const traces: Trace[] = [
  {
    name: "visa-qvsdc-pdol-format2",
    description: "Visa-like qVSDC: PDOL in the FCI, GPO format 2 with track 2 equivalent (57) straight away, one record with name and expiry",
    uid: "08A1B2C3", atqa: "0004", sak: "20", ats: "0578807002",
    exchanges: [
      { c: SELECT_PPSE, r: ppse([{ aid: VISA, label: "VISA CREDIT", prio: 1 }]) },
      { c: selectAid(VISA), r: fci(VISA, "VISA CREDIT", visaPdol) },
      { c: "80A80000", match: "header", r: tlv("77", tlv("82", "2000"), tlv("94", "18010100"), tlv("57", "4761739001010010D30122011143804400000F"), tlv("5F34", "00"), tlv("9F10", "06010A03A00000")) + OK },
      { c: readRecord(1, 3), r: tlv("70", tlv("5F20", ascii("VISA ACQUIRER TEST/CARD 01")), tlv("5F24", "301231")) + OK },
    ],
    expect: { pan: "4761739001010010", expiry: "3012", serviceCode: "201", name: "VISA ACQUIRER TEST/CARD 01" },
  },
  {
    name: "mastercard-nopdol-format1",
    description: "Mastercard-like: two applications in the PPSE (Maestro priority 2, Mastercard priority 1), no PDOL, GPO format 1, records over two SFIs",
    uid: "04112233445566", atqa: "0044", sak: "20", ats: "0675778002",
    exchanges: [
      { c: SELECT_PPSE, r: ppse([{ aid: MAESTRO, label: "MAESTRO", prio: 2 }, { aid: MC, label: "MASTERCARD", prio: 1 }]) },
      { c: selectAid(MC), r: fci(MC, "MASTERCARD") },
      { c: "80A8000002830000", r: tlv("80", "1980", "08010100", "10010200") + OK },
      { c: readRecord(1, 1), r: tlv("70", tlv("57", "5413330089010434D29122010000000000000F")) + OK },
      { c: readRecord(1, 2), r: tlv("70", tlv("5A", "5413330089010434"), tlv("5F24", "291231"), tlv("5F20", ascii("MC TEST/CARD"))) + OK },
      { c: readRecord(2, 2), r: tlv("70", tlv("8C", "9F02069F03069F1A0295055F2A029A039C019F3704"), tlv("5F34", "01")) + OK },
    ],
    expect: { pan: "5413330089010434", expiry: "2912", serviceCode: "201", name: "MC TEST/CARD" },
  },
  {
    name: "visa-pdol-format1-no57",
    description: "Visa-like: PDOL with an unknown tag (zero-filled), GPO format 1, records give 5A and 5F24 but no track 2 equivalent; GET RESPONSE (61xx) on the record",
    uid: "3A4B5C6D", atqa: "0004", sak: "28", ats: "0578807002",
    exchanges: [
      { c: SELECT_PPSE, r: ppse([{ aid: VISA, label: "VISA DEBIT" }]) },
      { c: selectAid(VISA), r: fci(VISA, "VISA DEBIT", "9F66049F02069F37049F7A01DF0102") },
      { c: "80A80000", match: "header", r: tlv("80", "0080", "10010100") + OK },
      { c: readRecord(1, 2), r: "6120" },
      { c: "00C0000020", r: tlv("70", tlv("5A", "4111111111111111"), tlv("5F24", "280630"), tlv("9F07", "FF00")).padEnd(64, "0").slice(0, 64) + OK },
    ],
    expect: { pan: "4111111111111111", expiry: "2806", serviceCode: "", name: "" },
  },
  {
    name: "not-payment",
    description: "ISO-DEP card (transit/ID) with no PPSE: SELECT PPSE answers 6A82, so only its UID is reported",
    uid: "04A0B1C2D3E4F5", atqa: "0344", sak: "20", ats: "067577810280",
    exchanges: [{ c: SELECT_PPSE, r: "6A82" }],
    expect: { pan: "", uid: "04A0B1C2D3E4F5" },
  },
];

const out = path.join(__dirname, "../test/fixtures/cards");
for (const t of traces) fs.writeFileSync(path.join(out, `emv-${t.name}.json`), JSON.stringify(t, null, 2) + "\n");
console.log(`wrote ${traces.length} traces to ${out}`);
