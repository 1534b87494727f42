// No PAN in any tool output: PAN-bearing EMV tags (5A, 57, 9F6B, 56; 9F1F/9F20 hidden) are
// masked to the last four wherever a TLV is shown: pos-sim iso8583 (DE 55) and pos-sim tlv.
import { strict as assert } from "assert";
import { run as iso8583Cli } from "../../sim/commands/iso8583";
import { run as tlvCli } from "../../sim/commands/tlv";
import { maskedTlvHex } from "../../sim/cards/emv-mask";
import { describe as describeMsg } from "../../sim/acquirer/decode";
import { pack } from "../../firmware/host/iso8583";
import { toHex } from "../../firmware/host/hex";
import { ascii, tlv } from "../../tools/tlv-build";
import { capture } from "../support/console";

const MC = "5413330089010434", VISA = "4761739001010010";
const ICC = tlv("70", tlv("5A", MC), tlv("57", MC + "D29122010000000000000F"), tlv("9F6B", VISA + "D30122011143804400000F"),
  tlv("56", ascii("B" + VISA + "^DOE/JOHN^30122011")), tlv("9F1F", "3132A9B8"), tlv("9F20", "C7D6"), tlv("9F26", "1122334455667788"));

/** the PAN in every encoding a tool could print it in: digits, BCD hex, ASCII hex */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const pan of [MC, VISA]) {
    const head = pan.slice(0, 12); // anything beyond the last four
    for (const form of [head, Buffer.from(head, "latin1").toString("hex"), Buffer.from(head, "latin1").toString("hex").toUpperCase()]) {
      if (text.includes(form)) found.push(form);
    }
  }
  if (/3132A9B8|C7D6/i.test(text)) found.push("track discretionary data");
  return found;
}


describe("no PAN in tool output: EMV tags in DE 55 and pos-sim tlv", () => {
  it("pos-sim iso8583: a 0200 whose DE 55 holds 5A/57/9F6B/56 shows the last four only, the TLV layout kept", () => {
    const hex = toHex(pack({ mti: "0200", f: { 3: "000000", 4: "000000001000", 11: "000001", 41: "TERM0001", 55: Buffer.from(ICC, "hex") } }));
    const r = capture(() => iso8583Cli([hex]));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(leaks(r.out), [], r.out);
    const de55 = r.out.split("\n").find((l) => l.startsWith("DE  55"))!;
    assert.match(de55, /ICC data/);
    assert.ok(de55.includes("5A08************0434"), de55);
    assert.ok(de55.includes("5713************0434**********************"), de55);
    assert.ok(de55.includes("9F6B13************0010"), de55);
    assert.ok(de55.includes("9F260811223344556677"), "other tags in clear");
  });

  it("DE 55 that is not valid TLV is not shown at all (a PAN could hide in it)", () => {
    const lines = describeMsg({ mti: "0200", f: { 55: Buffer.from("5A08" + MC + "57FF", "hex") } as any });
    const de55 = lines.find((l) => l.startsWith("DE  55"))!;
    assert.match(de55, /<\d+ bytes, not valid BER-TLV .*: not shown, it may hold a PAN>/);
    assert.deepEqual(leaks(lines.join("\n")), []);
  });

  it("maskedTlvHex masks nibble by nibble, nested templates included; track 1 keeps its last four digits", () => {
    assert.equal(maskedTlvHex(Buffer.from(tlv("77", tlv("5A", "4111111111111111")), "hex")), "770A5A08************1111");
    const t1 = maskedTlvHex(Buffer.from(tlv("56", ascii("B4111111111111111^X^30")), "hex"));
    assert.equal(t1, "5616" + "*".repeat(26) + "31313131" + "*".repeat(10));
  });

  it("pos-sim tlv masks every PAN-bearing tag (unless --unmask) and hides track discretionary data", () => {
    const r = capture(() => tlvCli([ICC]));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(leaks(r.out), [], r.out);
    assert.match(r.out, /5A \(8\) PAN: \*\*\*\*0434 \(masked\)/);
    assert.match(r.out, /57 \(19\) track 2 equivalent: \*\*\*\*0434 \(masked\)/);
    assert.match(r.out, /9F6B \(19\) track 2 data: \*\*\*\*0010 \(masked\)/);
    assert.match(r.out, /56 \(35\) track 1 data: \*\*\*\*0010 \(masked\)/);
    assert.match(r.out, /9F1F \(4\) track 1 discretionary data: \(masked\)/);
    const u = capture(() => tlvCli(["--unmask", ICC]));
    assert.ok(u.out.includes(MC) && u.out.includes("B" + VISA + "^DOE/JOHN"), "--unmask shows it all");
  });
});
