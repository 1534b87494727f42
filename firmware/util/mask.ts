// PAN display rule (PCI DSS 3.4.1, FACTA): screens and receipts show the last four digits only.

/** "4111111111111111" or last four "1111" -> "**** **** **** 1111" */
export function maskedPan(last4: string): string {
  return "**** **** **** " + last4;
}

/** The last four digits of a PAN, the only part the terminal keeps. */
export function lastFour(pan: string): string {
  return pan.length >= 4 ? pan.substr(pan.length - 4) : pan;
}
