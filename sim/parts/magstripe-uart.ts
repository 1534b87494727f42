// Virtual UART magstripe reader: sends the decoded ASCII tracks of a swipe over the UART
// ("%...?;...?\r"), or "%E?;E?\r" when it could not read them. Control: swipe(card, o).
import type { PartContext, PartFactory, VirtualPart } from "../bus/types";
import type { MagstripeUartEntry as MagstripeUartSpec } from "../../drivers/magstripe/part.spec";
import type { MagCard } from "./magstripe-ttl";

export class MagstripeUartPart implements VirtualPart {
  readonly type = "magstripe-uart";
  constructor(readonly role: string, private spec: MagstripeUartSpec, private ctx: PartContext) {}

  /** bad: the reader failed to decode (sends E tracks); raw: send this text as is */
  swipe(card: MagCard, o: { bad?: boolean; raw?: string; delay?: number } = {}): void {
    const text = o.raw ?? (o.bad ? "%E?;E?\r" : (card.track1 ?? "") + (card.track2 ?? "") + "\r");
    this.ctx.clock.after(o.delay ?? 0.08, () => this.ctx.uart(this.spec.bus).send(text));
  }
}

export const createPart: PartFactory = (role, spec, ctx) => new MagstripeUartPart(role, spec as MagstripeUartSpec, ctx);
