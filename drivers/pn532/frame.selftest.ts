import { test, eq, eqBytes } from "../selftest/check";
import { buildFrame, FrameKind, newFrameInfo, parseFrame, TFI_HOST } from "./frame";

test("pn532 frame: GetFirmwareVersion and SAMConfiguration bytes", function () {
  eqBytes(buildFrame(TFI_HOST, [0x02]), [0, 0, 0xff, 0x02, 0xfe, 0xd4, 0x02, 0x2a, 0], "GetFirmwareVersion");
  eqBytes(buildFrame(TFI_HOST, [0x14, 0x01, 0x14, 0x01]), [0, 0, 0xff, 0x05, 0xfb, 0xd4, 0x14, 0x01, 0x14, 0x01, 0x02, 0], "SAM");
});

test("pn532 frame: parse response, ACK, bad checksums, split input", function () {
  var f = newFrameInfo();
  var rsp = new Uint8Array([0x01, 0, 0, 0xff, 0x06, 0xfa, 0xd5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xe8, 0]);
  eq(parseFrame(rsp, 1, rsp.length, f), FrameKind.Data, "data");
  eq(rsp[f.dataStart], 0x03, "response code");
  eq(f.dataLen, 5, "length");
  eq(f.consumed, 13, "consumed");
  eq(parseFrame(rsp, 1, 10, f), FrameKind.NeedMore, "split");
  var ack = new Uint8Array([0, 0, 0xff, 0, 0xff, 0]);
  eq(parseFrame(ack, 0, 6, f), FrameKind.Ack, "ack");
  rsp[12] = 0xe9;
  eq(parseFrame(rsp, 1, rsp.length, f), FrameKind.Bad, "DCS");
  eq(f.reason, "DCS", "reason");
  rsp[5] = 0xfb;
  eq(parseFrame(rsp, 1, rsp.length, f), FrameKind.Bad, "LCS");
  var big = new Uint8Array(300);
  var ext = buildFrame(0xd5, big);
  eq(ext[3], 0xff, "extended");
  eq(parseFrame(ext, 0, ext.length, f), FrameKind.Data, "extended parse");
  eq(f.dataLen, 300, "extended length");
});
