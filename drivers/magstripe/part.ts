// The msr role on a magstripe reader (descriptors: part.spec.ts).
import { PartDeps } from "../parts";
import { MagstripeTtl } from "./ttl";
import { MagstripeUart } from "./uart";
import type { MagstripeTtlEntry, MagstripeUartEntry } from "./part.spec";

export function magstripeTtl(e: MagstripeTtlEntry, d: PartDeps): MagstripeTtl {
  return new MagstripeTtl({ io: d.io, strobe: e.strobe, data: e.data, cardPresent: e.cardPresent, track: e.tracks[0] === 1 ? 1 : 2,
    errorFlags: d.errorFlags });
}

export function magstripeUart(e: MagstripeUartEntry, d: PartDeps): MagstripeUart {
  return new MagstripeUart({ uart: d.uart[e.bus]!, io: d.io });
}
