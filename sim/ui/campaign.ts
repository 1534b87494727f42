// The power-cut campaign the simulator's UI runs on demand ("c"): a sale on throw-away
// copies of the terminal, with the power cut at each flash operation the sale performs; after
// each cut the terminal boots, must reach READY, complete a new sale, and leave the
// acquirer's ledger with no double charge and no STAN reused. (The CI fault matrix,
// test/system/fault-matrix.test.ts, is the exhaustive version.)
import { SimTarget } from "../scenario/target-sim";
import { runScenario } from "../scenario/runner";
import { Step } from "../scenario/format";

const SALE: Step[] = [
  { keys: "1999" }, { press: "ENTER" }, { expectScreen: "Swipe or tap" }, { swipe: "visa-good" },
  { expectScreen: "Customer copy?", within: 60 }, { press: "ENTER" }, { expectScreen: "READY", within: 30 },
];
const READY: Step[] = [{ expectScreen: "READY", within: 60 }];
const CLEAN: Step[] = [{ expectLedger: { doubleCharges: 0, violations: 0 } }];

export interface CampaignOptions { board: string; bundle?: string; }

function run(t: SimTarget, name: string, steps: Step[]): string | undefined {
  const r = runScenario({ name, steps }, t);
  return r.ok ? undefined : r.failure;
}

export function createCampaign(o: CampaignOptions) {
  return async (onCase: (done: number, total: number, failures: number) => void) => {
    const pause = () => new Promise<void>((res) => setImmediate(res));
    // baseline: booted to READY, then measure how many flash operations one sale takes
    const base = new SimTarget({ board: o.board, bundle: o.bundle });
    const bootFail = run(base, "boot", READY);
    if (bootFail) throw new Error("the terminal does not reach READY: " + bootFail);
    const image = base.world.flashImage();
    const before = base.world.flash.ops;
    const saleFail = run(base, "sale", SALE);
    if (saleFail) throw new Error("a plain sale fails: " + saleFail);
    const total = base.world.flash.ops - before;
    let failures = 0;
    const detail: string[] = [];
    for (let k = 0; k < total; k++) {
      const t = new SimTarget({ board: o.board, bundle: o.bundle, flashImage: image });
      let fail = run(t, "boot", READY);
      if (!fail) {
        t.world.flash.armCut(t.world.flash.ops + k);
        runScenario({ name: "cut sale", steps: SALE }, t); // fails once the power is gone
        if (t.world.powered) fail = `operation ${k} of ${total} was never reached`;
        else {
          t.run(1);
          t.powerOn();
          fail = run(t, "recover", [...READY, ...SALE, ...CLEAN]);
        }
      }
      if (fail) { failures++; detail.push(`cut at flash op ${k}: ${fail}`); }
      onCase(k + 1, total, failures);
      await pause();
    }
    return { cases: total, failures, detail };
  };
}
