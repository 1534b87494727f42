// Monochrome pixels to terminal text. The display panel RAM is 128x64; a terminal cell can
// show 2x4 pixels with Braille dots (64x16 cells) or 2x2 with quadrant blocks (64x32 cells),
// which look solid and are used when the terminal is tall enough.

export type PixelReader = (x: number, y: number) => boolean;

// Braille dot bit for the pixel at (dx, dy) inside a 2x4 cell (Unicode U+2800 block order)
const BRAILLE_BITS = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];
const QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█";

export function toBraille(width: number, height: number, on: PixelReader): string[] {
  const rows: string[] = [];
  for (let y = 0; y < height; y += 4) {
    let line = "";
    for (let x = 0; x < width; x += 2) {
      let bits = 0;
      for (let dy = 0; dy < 4; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          if (y + dy < height && x + dx < width && on(x + dx, y + dy)) bits |= BRAILLE_BITS[dy]![dx]!;
        }
      }
      line += String.fromCharCode(0x2800 + bits);
    }
    rows.push(line);
  }
  return rows;
}

export function toQuadrants(width: number, height: number, on: PixelReader): string[] {
  const rows: string[] = [];
  for (let y = 0; y < height; y += 2) {
    let line = "";
    for (let x = 0; x < width; x += 2) {
      const idx = (on(x, y) ? 1 : 0) | (x + 1 < width && on(x + 1, y) ? 2 : 0) |
        (y + 1 < height && on(x, y + 1) ? 4 : 0) | (x + 1 < width && y + 1 < height && on(x + 1, y + 1) ? 8 : 0);
      line += QUADRANTS[idx];
    }
    rows.push(line);
  }
  return rows;
}
