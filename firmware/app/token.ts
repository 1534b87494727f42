// Tokenisation: the PAN is replaced by a keyed token (HMAC-SHA256 with the device key) plus
// its last four digits before anything is journaled. The same PAN on the same terminal gives
// the same token (refund/void lookups, duplicate checks); without the key it cannot be
// reversed or brute-forced offline. The PAN itself stays in RAM for the one host request.
import { hmacSha256, toHex, fromHex, Sha256 } from "./hmac";
import { lastFour } from "../util/mask";

export interface PanToken { token: string; last4: string; }

/** 16 bytes of HMAC-SHA256(deviceKey, PAN) as 32 hex chars */
export function tokenizePan(sha256: Sha256, deviceKeyHex: string, pan: string): PanToken {
  var key = fromHex(deviceKeyHex);
  if (key.length < 16) throw new Error("device key missing");
  return { token: toHex(hmacSha256(sha256, key, pan)).substr(0, 32), last4: lastFour(pan) };
}
