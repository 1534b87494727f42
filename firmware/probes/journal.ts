// probe-journal.js: prints the journal's health and contents without writing anything:
// state (ok/fault and why), the next serial numbers, the batch totals, the pending reversal,
// the records in doubt, and the journal's own diag line (layout, erase counts, free frames).
// Safe on a live terminal: openJournal only reads.
import { bringUp } from "../board";
import { openJournal, IX_DOUBT } from "../journal/journal";
import { formatAmount } from "../util/money";

var p = bringUp();
var region = p.board().flashRegions.journal;
var j = openJournal(p.flash, region, { crc32: p.crc32 });
p.log("journal: region 0x" + region.base.toString(16) + ", " + region.sectors + " x " + region.sectorSize + " B");
p.log("journal: state " + j.state + (j.state === "fault" ? " (" + j.reason + ")" : ""));
if (j.state !== "fault") {
  var n = j.next();
  p.log("journal: next STAN " + n.stan + ", invoice " + n.invoice + ", batch " + n.batch);
  var t = j.batchTotals();
  p.log("journal: batch " + t.batch + ": sales " + t.saleCount + " " + formatAmount(t.saleAmount) + ", refunds " + t.refundCount + " " + formatAmount(t.refundAmount) + ", voids " + t.voidCount);
  var r = j.pendingReversal();
  p.log("journal: pending reversal " + (r ? "STAN " + r.stan + " amount " + formatAmount(r.amount) : "none"));
  p.log("journal: in doubt " + j.count(IX_DOUBT));
  j.each(IX_DOUBT, function (slot) { // one record at a time: a batch may hold hundreds
    var x = j.bySlot(slot)!;
    p.log("  STAN " + x.stan + " INV " + x.invoice + " kind " + x.kind + " result " + x.result + (x.printed ? " printed" : " unprinted") + " card *" + x.last4);
    return false;
  });
}
p.log("journal: " + j.diag());
