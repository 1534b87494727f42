// Status reader: replies paired with requests across any chunking, ASB frames, noise.
import { strict as assert } from "assert";
import { StatusReader, applyRealtime, parseAsb, emptyStatus, describeStatus } from "../../drivers/escpos/status";

const s = (...b: number[]) => String.fromCharCode(...b);

describe("escpos status reader", () => {
  // replies to DLE EOT 1, 2, 4 (offline + cover open, paper fine but near end), then an ASB frame
  const stream = [0x1a, 0x16, 0x1e, 0x10, 0x00, 0x0c, 0x0f, 0x12];
  const requests = [1, 2, 4];

  function run(chunks: string[]) {
    const r = new StatusReader();
    const replies: string[] = [];
    const asb: string[] = [];
    r.onReply = (n, b) => replies.push(n + ":" + b.toString(16));
    r.onAsb = (st) => asb.push(describeStatus(st));
    for (const n of requests) r.requested(n);
    r.requested(4);
    for (const c of chunks) r.feed(c);
    return { replies, asb, st: r.status, open: r.openRequests() };
  }

  it("gives the same result for every split of the stream into two and three chunks", () => {
    const whole = run([s(...stream)]);
    assert.deepEqual(whole.replies, ["1:1a", "2:16", "4:1e", "4:12"]);
    assert.deepEqual(whole.asb, ["paper out"]);
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        const r = run([s(...stream.slice(0, i)), s(...stream.slice(i, j)), s(...stream.slice(j))]);
        assert.deepEqual(r, whole, "split at " + i + "," + j);
      }
    }
  });

  it("one byte at a time, and noise (XON/XOFF, unsolicited bytes) is ignored", () => {
    const r = new StatusReader();
    r.feed(s(0x11, 0x13, 0x12)); // no request open: the 0x12 is not a reply
    assert.equal(r.status.paperOut, false);
    r.requested(4);
    for (const b of [0x11, 0x7e]) r.feed(s(b));
    assert.equal(r.status.paperOut, true);
    assert.equal(r.status.nearEnd, true);
    assert.equal(r.openRequests(), 0);
  });

  it("decodes every DLE EOT n bit the driver uses and ASB frames", () => {
    const st = emptyStatus();
    applyRealtime(1, 0x1a, st); assert.equal(st.offline, true);
    applyRealtime(2, 0x16, st); assert.equal(st.coverOpen, true);
    applyRealtime(2, 0x52, st); assert.equal(st.error, true); assert.equal(st.coverOpen, false);
    applyRealtime(4, 0x72, st); assert.equal(st.paperOut, true); assert.equal(st.nearEnd, false);
    applyRealtime(4, 0x12, st); assert.equal(st.paperOut, false);
    assert.deepEqual(parseAsb(0x38, 0x00, 0x03, 0x0f), { offline: true, coverOpen: true, error: false, nearEnd: true, paperOut: false });
    assert.equal(describeStatus(emptyStatus()), "ready");
  });

  it("clear() forgets open requests", () => {
    const r = new StatusReader();
    r.requested(4);
    r.clear();
    r.feed(s(0x7e));
    assert.equal(r.status.paperOut, false);
  });
});
