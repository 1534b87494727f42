// JavaScript that runs inside the firmware's context before the bundle: what Espruino has
// natively but a V8 context does not (or has differently). `native` carries host hooks and is
// only reachable through these closures.
export const PRELUDE = String.raw`(function (native, global) {
  "use strict";
  var hide = function (o, k, v) { Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false }); };

  // ---- every object has on/emit (listeners kept in a hidden property) ----
  var LS = "\u00ffon";
  function listeners(o, ev, make) {
    if (!Object.prototype.hasOwnProperty.call(o, LS)) { if (!make) return null; hide(o, LS, {}); }
    var all = o[LS];
    if (!all[ev]) { if (!make) return null; all[ev] = []; }
    return all[ev];
  }
  var proto = Object.prototype;
  hide(proto, "on", function (ev, fn) { listeners(this, String(ev), true).push(fn); return this; });
  hide(proto, "addListener", proto.on);
  hide(proto, "prependListener", function (ev, fn) { listeners(this, String(ev), true).unshift(fn); return this; });
  hide(proto, "emit", function (ev) {
    var l = listeners(this, String(ev), false);
    if (!l) return false;
    var args = [];
    for (var i = 1; i < arguments.length; i++) args.push(arguments[i]);
    var copy = l.slice();
    for (var j = 0; j < copy.length; j++) copy[j].apply(this, args);
    return true;
  });
  hide(proto, "removeListener", function (ev, fn) {
    var l = listeners(this, String(ev), false);
    if (l) { var i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); }
    return this;
  });
  hide(proto, "removeAllListeners", function (ev) {
    if (!Object.prototype.hasOwnProperty.call(this, LS)) return this;
    if (ev === undefined) this[LS] = {}; else delete this[LS][String(ev)];
    return this;
  });
  native.emit = proto.emit;
  native.hasListeners = function (o, ev) { var l = listeners(o, ev, false); return !!(l && l.length); };

  // ---- Promise: reactions are queued events (after already-due timers), as in Espruino ----
  var ST = "\u00ffpromise";
  function Promise(executor) {
    if (typeof executor !== "function") throw new TypeError("Promise resolver is not a function");
    var self = this, done = false;
    hide(self, ST, { s: 0, v: undefined, h: [], handled: false });
    function res(v) { if (!done) { done = true; resolveP(self, v); } }
    function rej(r) { if (!done) { done = true; settle(self, 2, r); } }
    try { executor(res, rej); } catch (e) { rej(e); }
  }
  function resolveP(p, v) {
    if (v === p) return settle(p, 2, new TypeError("Promise resolved with itself"));
    if (v !== null && (typeof v === "object" || typeof v === "function")) {
      var then;
      try { then = v.then; } catch (e) { return settle(p, 2, e); }
      if (typeof then === "function") {
        var called = false;
        try {
          then.call(v, function (x) { if (!called) { called = true; resolveP(p, x); } },
                       function (r) { if (!called) { called = true; settle(p, 2, r); } });
        } catch (e) { if (!called) { called = true; settle(p, 2, e); } }
        return;
      }
    }
    settle(p, 1, v);
  }
  function settle(p, s, v) {
    var st = p[ST];
    if (st.s !== 0) return;
    st.s = s; st.v = v;
    var h = st.h; st.h = null;
    for (var i = 0; i < h.length; i++) react(p, h[i]);
    if (s === 2 && !st.handled) native.queue(function () { if (!st.handled) native.unhandled(v); });
  }
  function react(p, h) {
    var st = p[ST];
    st.handled = true;
    native.queue(function () {
      var cb = st.s === 1 ? h.f : h.r;
      if (typeof cb !== "function") { if (st.s === 1) resolveP(h.p, st.v); else settle(h.p, 2, st.v); return; }
      var out;
      try { out = cb(st.v); } catch (e) { settle(h.p, 2, e); return; }
      resolveP(h.p, out);
    });
  }
  function noop() {}
  hide(Promise.prototype, "then", function (f, r) {
    var np = new Promise(noop), st = this[ST], h = { f: f, r: r, p: np };
    if (st.s === 0) { st.h.push(h); st.handled = true; } else react(this, h);
    return np;
  });
  hide(Promise.prototype, "catch", function (r) { return this.then(undefined, r); });
  hide(Promise, "resolve", function (v) {
    if (v instanceof Promise) return v;
    return new Promise(function (res) { res(v); });
  });
  hide(Promise, "reject", function (r) { return new Promise(function (res, rej) { rej(r); }); });
  hide(Promise, "all", function (arr) {
    return new Promise(function (res, rej) {
      var out = [], left = arr.length;
      if (left === 0) { res(out); return; }
      arr.forEach(function (x, i) {
        Promise.resolve(x).then(function (v) { out[i] = v; if (--left === 0) res(out); }, rej);
      });
    });
  });
  hide(global, "Promise", Promise);

  // ---- Array.prototype.sort as Espruino's: an in-place quicksort with the first element as
  // the pivot (jswrap_array.c), so it is NOT stable (and quadratic on sorted input) ----
  function defaultCompare(a, b) {
    if (a === undefined) return b === undefined ? 0 : 1;
    if (b === undefined) return -1;
    var x = String(a), y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  function qsort(arr, lo, n, cmp) {
    while (n > 1) {
      var pivot = lo, pv = arr[lo], nlo = 0, nhi = 0;
      for (var i = lo + 1, left = n - 1; left > 0; left--, i++) {
        var v = arr[i];
        if (cmp(v, pv) <= 0) {
          // move v behind the pivot: the pivot moves one place up
          arr[pivot] = v;
          pivot++;
          arr[i] = arr[pivot];
          arr[pivot] = pv;
          nlo++;
        } else nhi++;
      }
      qsort(arr, lo, nlo, cmp);
      lo = pivot + 1;
      n = nhi;
    }
  }
  hide(Array.prototype, "sort", function (cmp) {
    var c = typeof cmp === "function" ? function (a, b) { return Number(cmp(a, b)) || 0; } : defaultCompare;
    qsort(this, 0, this.length, c);
    return this;
  });

  // ---- 8-bit strings: character codes are truncated to a byte (no Unicode on ESP32) ----
  var fromCharCode = String.fromCharCode;
  hide(String, "fromCharCode", function (c) {
    var n = arguments.length;
    // (x & 255 converts like Number(x) & 255; the one-code call is the hot one)
    if (n === 1) return fromCharCode(c & 255);
    var codes = new Array(n);
    for (var i = 0; i < n; i++) codes[i] = arguments[i] & 255;
    return fromCharCode.apply(String, codes);
  });

  // ---- String indexOf as Espruino 2v29's: a needle running past the end of the string matches
  // when the part that fits matches, unless the needle is longer than the whole string
  // (measured on the twin: "abc".indexOf("bcd") 1, "abcab".indexOf("abc", 1) 3, "ab".indexOf("abc") -1) ----
  var indexOf = String.prototype.indexOf;
  hide(String.prototype, "indexOf", function (needle, from) {
    var s = String(this), n = String(needle), i = indexOf.call(s, n, from);
    if (i >= 0 || n.length > s.length) return i;
    for (var p = Math.max(from > 0 ? Math.floor(from) : 0, s.length - n.length + 1); p < s.length; p++) {
      if (n.substr(0, s.length - p) === s.substr(p)) return p;
    }
    return -1;
  });

  // ---- Object.setPrototypeOf is ignored on functions: static methods are not inherited
  // through tslib's __extends (the toolchain's helper fix copies them instead) ----
  var setProto = Object.setPrototypeOf;
  hide(Object, "setPrototypeOf", function (o, p) { return typeof o === "function" ? o : setProto(o, p); });

  // ---- errors have no .name (String(e) still gives "TypeError: msg", from an internal type) ----
  [Error, TypeError, ReferenceError, SyntaxError].forEach(function (C) {
    var type = C === Error ? "Error" : C === TypeError ? "TypeError" : C === ReferenceError ? "ReferenceError" : "SyntaxError";
    delete C.prototype.name;
    hide(C.prototype, "toString", function () {
      var m = this.message;
      return m === undefined || m === "" ? type : type + ": " + m;
    });
  });

  // ---- JSON: Espruino ignores the replacer and the reviver (and its indented format differs:
  // indentation is dropped here; the dialect gate rejects both uses) ----
  var stringify = JSON.stringify, parse = JSON.parse;
  hide(JSON, "stringify", function (v) { return stringify(v); });
  hide(JSON, "parse", function (s) { return parse(s); });

  // ---- Date and time from the virtual clock (GMT+0 unless E.setTimeZone) ----
  var RealDate = Date;
  function VDate(a, b, c, d, e, f, g) {
    if (!(this instanceof VDate)) return new RealDate(native.nowMs()).toString();
    switch (arguments.length) {
      case 0: return new RealDate(native.nowMs());
      case 1: return new RealDate(a);
      default: return new RealDate(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, g || 0);
    }
  }
  VDate.prototype = RealDate.prototype;
  hide(VDate, "now", function () { return native.nowMs(); });
  hide(VDate, "parse", RealDate.parse);
  hide(RealDate.prototype, "constructor", VDate);
  hide(global, "Date", VDate);
})`;
