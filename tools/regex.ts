// Regular-expression features Espruino's matcher gets wrong (espruino.md section 1.3):
// they silently never match, or throw. Works: . [..] \d\w\s, * and + after one atom,
// ^ $, capture groups, |, flags g and i.

const BAD_FLAGS: { [f: string]: string } = {
  m: "flag m (multiline) is ignored",
  y: "flag y (sticky) is ignored",
  s: "flag s (dotAll) is not supported",
  u: "flag u (unicode) is not supported",
  v: "flag v is not supported",
  d: "flag d (indices) is not supported",
};

export function regexProblems(pattern: string, flags: string): string[] {
  const out: string[] = [];
  for (const f of flags) if (BAD_FLAGS[f] && out.indexOf(BAD_FLAGS[f]!) < 0) out.push(BAD_FLAGS[f]!);
  const add = (what: string): void => { if (out.indexOf(what) < 0) out.push(what); };
  let inClass = false;
  // what the previous token was: an atom, a closing group, a quantifier, or nothing
  let prev: "none" | "atom" | "group" | "quant" = "none";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const e = pattern[i + 1] || "";
      if (e === "u") add("\\u escapes never match");
      else if (e === "p" || e === "P") add("\\p{...} unicode properties are not supported");
      else if (!inClass && (e === "b" || e === "B")) add("\\b / \\B word boundaries never match");
      else if (!inClass && e === "k") add("named backreferences throw");
      else if (!inClass && e >= "1" && e <= "9") add("backreferences throw");
      i++;
      prev = "atom";
      continue;
    }
    if (inClass) {
      if (c === "]") { inClass = false; prev = "atom"; }
      continue;
    }
    switch (c) {
      case "[": inClass = true; break;
      case "(": {
        if (pattern[i + 1] === "?") {
          const k = pattern[i + 2];
          if (k === ":") add("(?: non-capturing groups never match");
          else if (k === "=" || k === "!") add("lookahead never matches");
          else if (k === "<" && (pattern[i + 3] === "=" || pattern[i + 3] === "!")) add("lookbehind never matches");
          else if (k === "<") add("named groups never match");
          i++; // the ? belongs to the group syntax, not a quantifier
        }
        prev = "none";
        break;
      }
      case ")": prev = "group"; break;
      case "?":
        add(prev === "quant" ? "lazy quantifiers (*? +? ??) never match" : "the ? quantifier never matches");
        prev = "quant";
        break;
      case "*": case "+":
        if (prev === "group") add("quantifiers on groups ((ab)+) never match");
        prev = "quant";
        break;
      case "{": {
        const m = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
        if (m) {
          add("{n,m} quantifiers never match");
          i += m[0].length - 1;
          prev = "quant";
        } else prev = "atom";
        break;
      }
      default: prev = "atom";
    }
  }
  return out;
}
