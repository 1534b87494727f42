// SSD1306 command set (Solomon Systech datasheet rev 1.1, section 10) and the init sequence.
// Pure: the driver sends these bytes; the virtual part decodes them.

export const enum Ctl {
  /** control byte: the rest of the transaction is commands */
  Commands = 0x00,
  /** control byte: the rest of the transaction is display RAM data */
  Data = 0x40,
}

export const enum Cmd {
  SetContrast = 0x81,
  ResumeFromRam = 0xa4,
  EntireDisplayOn = 0xa5,
  NormalDisplay = 0xa6,
  InverseDisplay = 0xa7,
  DisplayOff = 0xae,
  DisplayOn = 0xaf,
  SetMemoryMode = 0x20,
  SetColumnAddress = 0x21,
  SetPageAddress = 0x22,
  SetLowColumn = 0x00,
  SetHighColumn = 0x10,
  SetPageStart = 0xb0,
  SetStartLine = 0x40,
  SegRemapOff = 0xa0,
  SegRemapOn = 0xa1,
  SetMultiplex = 0xa8,
  ComScanInc = 0xc0,
  ComScanDec = 0xc8,
  SetDisplayOffset = 0xd3,
  SetComPins = 0xda,
  SetClockDiv = 0xd5,
  SetPrecharge = 0xd9,
  SetVcomDeselect = 0xdb,
  ChargePump = 0x8d,
  Nop = 0xe3,
}

export const enum MemoryMode {
  Horizontal = 0,
  Vertical = 1,
  Page = 2,
}

/** Commands (without the control byte) that bring a 128x64 or 128x32 panel from reset to
 *  on, horizontal addressing, upright for the usual module mounting (remap + COM scan dec). */
export function initSequence(width: number, height: number, contrast: number): Uint8Array {
  return new Uint8Array([
    Cmd.DisplayOff,
    Cmd.SetClockDiv, 0x80,
    Cmd.SetMultiplex, height - 1,
    Cmd.SetDisplayOffset, 0,
    Cmd.SetStartLine | 0,
    Cmd.ChargePump, 0x14,
    Cmd.SetMemoryMode, MemoryMode.Horizontal,
    Cmd.SegRemapOn,
    Cmd.ComScanDec,
    Cmd.SetComPins, height === 64 ? 0x12 : 0x02,
    Cmd.SetContrast, contrast & 0xff,
    Cmd.SetPrecharge, 0xf1,
    Cmd.SetVcomDeselect, 0x40,
    Cmd.ResumeFromRam,
    Cmd.NormalDisplay,
    Cmd.SetColumnAddress, 0, width - 1,
    Cmd.SetPageAddress, 0, (height >> 3) - 1,
    Cmd.DisplayOn,
  ]);
}
