// A print job is re-renderable, not a byte stream: after paper out the driver renders it
// again with reprint = true (the layout marks it "REPRINT").
import { EscPosEncoder } from "./encoder";

export interface PrintJob {
  render(enc: EscPosEncoder, reprint: boolean): void;
}
