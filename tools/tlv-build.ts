// Builds BER-TLV hex for card scripts and fixtures: tlv("6F", tlv("84", "..."), ...).
export function lenHex(n: number): string {
  if (n < 0x80) return n.toString(16).padStart(2, "0");
  if (n < 0x100) return "81" + n.toString(16).padStart(2, "0");
  return "82" + n.toString(16).padStart(4, "0");
}
export function tlv(tag: string, ...values: string[]): string {
  const v = values.join("");
  return (tag + lenHex(v.length / 2) + v).toUpperCase();
}
export function ascii(s: string): string { return Buffer.from(s, "latin1").toString("hex").toUpperCase(); }
