// DisplayPort over the screen toolkit (firmware/ui): the title bar, up to four lines, the hint.
import { DisplayPort, Screen } from "../ports";
import { drawTitle, LINE_Y0, LINE_PITCH, HINT_Y, LINES_WITH_HINT } from "../../ui/screens";
import { useSmallFont, smallWidth } from "../../ui/fonts";
import { truncate, centreX, LINE_CHARS } from "../../ui/text";

export function displayPort(g: Graphics, flip: () => void): DisplayPort {
  return {
    show: function (s: Screen) {
      g.clear();
      drawTitle(g, s.title);
      useSmallFont(g);
      var n = s.lines.length < LINES_WITH_HINT ? s.lines.length : LINES_WITH_HINT;
      for (var i = 0; i < n; i++) g.drawString(truncate(s.lines[i]!, LINE_CHARS - 1), 2, LINE_Y0 + i * LINE_PITCH);
      if (s.hint) {
        var h = truncate(s.hint, LINE_CHARS);
        g.drawString(h, centreX(smallWidth(h)), HINT_Y);
      }
      flip();
    },
  };
}
