import { runSelfTests } from "../../drivers/selftest/check";
import "../../drivers/escpos/escpos.selftest";
import "../../firmware/receipt/receipt.selftest";
it("selftests", () => { const r = runSelfTests(console.log); if (r.failed) throw new Error("failed"); });
