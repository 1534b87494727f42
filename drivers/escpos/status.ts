// ESC/POS printer status (pure). Real-time replies to DLE EOT n are one byte matching
// (b & 0x93) == 0x12; Auto Status Back (GS a) sends 4 bytes whose first matches
// (b & 0x93) == 0x10. The reader takes the UART's data chunks (any size, 8-bit strings)
// and hands out whole replies; a DLE EOT reply is paired with the oldest open request.

export interface PrinterStatus {
  paperOut: boolean;
  nearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
  error: boolean;
}

export function emptyStatus(): PrinterStatus {
  return { paperOut: false, nearEnd: false, coverOpen: false, offline: false, error: false };
}

export function isRealtimeReply(b: number): boolean { return (b & 0x93) === 0x12; }
export function isAsbStart(b: number): boolean { return (b & 0x93) === 0x10; }

/** folds one DLE EOT n reply into st (fields the reply does not cover stay as they are) */
export function applyRealtime(n: number, b: number, st: PrinterStatus): void {
  if (n === 1) {
    st.offline = (b & 0x08) !== 0;
  } else if (n === 2) {
    st.coverOpen = (b & 0x04) !== 0;
    st.error = (b & 0x40) !== 0;
    if (b & 0x20) st.paperOut = true;
  } else if (n === 3) {
    st.error = (b & 0x6c) !== 0;
  } else if (n === 4) {
    st.nearEnd = (b & 0x0c) !== 0;
    st.paperOut = (b & 0x60) !== 0;
  }
}

/** a 4-byte ASB frame into a full status */
export function parseAsb(b0: number, b1: number, b2: number, _b3: number): PrinterStatus {
  return {
    offline: (b0 & 0x08) !== 0,
    coverOpen: (b0 & 0x20) !== 0,
    error: (b1 & 0x6c) !== 0,
    nearEnd: (b2 & 0x03) !== 0,
    paperOut: (b2 & 0x0c) !== 0,
  };
}

export function describeStatus(st: PrinterStatus): string {
  var parts: string[] = [];
  if (st.offline) parts.push("offline");
  if (st.paperOut) parts.push("paper out");
  if (st.nearEnd) parts.push("paper near end");
  if (st.coverOpen) parts.push("cover open");
  if (st.error) parts.push("error");
  return parts.length ? parts.join(", ") : "ready";
}

/** Pairs replies with requests across chunk boundaries. */
export class StatusReader {
  /** requested DLE EOT n values still unanswered, oldest first */
  private pending: number[] = [];
  private asb = new Uint8Array(4);
  private asbLen = 0;
  /** running status, updated by every reply */
  status: PrinterStatus = emptyStatus();
  onReply: ((n: number, byte: number) => void) | null = null;
  onAsb: ((st: PrinterStatus) => void) | null = null;

  /** note a DLE EOT n just sent */
  requested(n: number): void { this.pending.push(n); }
  openRequests(): number { return this.pending.length; }
  /** forget unanswered requests (printer presumed offline) */
  clear(): void { this.pending.splice(0); this.asbLen = 0; }

  feed(data: string): void {
    for (var i = 0; i < data.length; i++) this.byte(data.charCodeAt(i) & 255);
  }

  byte(b: number): void {
    if (this.asbLen > 0) {
      this.asb[this.asbLen++] = b;
      if (this.asbLen === 4) {
        this.asbLen = 0;
        this.status = parseAsb(this.asb[0]!, this.asb[1]!, this.asb[2]!, this.asb[3]!);
        if (this.onAsb) this.onAsb(this.status);
      }
    } else if (isRealtimeReply(b) && this.pending.length > 0) {
      var n = this.pending.shift()!;
      applyRealtime(n, b, this.status);
      if (this.onReply) this.onReply(n, b);
    } else if (isAsbStart(b)) {
      this.asb[0] = b;
      this.asbLen = 1;
    }
    // anything else (XON/XOFF, noise) is ignored
  }
}
