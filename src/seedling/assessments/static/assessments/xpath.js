/* Seedling: the XPath subset of XLSForm expressions, in the browser.
 *
 * Mirrors seedling/assessments/xpath.py and xpath_parser.py in behaviour; both run
 * tests/xpath_vectors.json (Node.js runs this file in the tests). No build step, no dependencies.
 * Exposes window.SeedlingXPath.
 */
(function (root) {
  "use strict";

  var FUNCTIONS = {
    "true": [0, 0], "false": [0, 0], "not": [1, 1], "boolean": [1, 1], "string": [0, 1],
    "number": [0, 1], "int": [1, 1], "round": [1, 2], "floor": [1, 1], "ceiling": [1, 1],
    "abs": [1, 1], "pow": [2, 2], "sqrt": [1, 1], "concat": [1, null], "string-length": [0, 1],
    "normalize-space": [0, 1], "contains": [2, 2], "starts-with": [2, 2], "ends-with": [2, 2],
    "substr": [2, 3], "selected": [2, 2], "count-selected": [1, 1], "if": [3, 3],
    "coalesce": [2, 2], "regex": [2, 2], "today": [0, 0], "now": [0, 0], "count": [1, 1],
    "count-non-empty": [1, 1], "sum": [1, 1], "max": [1, null], "min": [1, null],
    "join": [2, null], "position": [1, 1], "indexed-repeat": [3, null]
  };
  var TOKEN = /[ \t\n\r\f\v]*(?:(\d+(?:\.\d*)?|\.\d+)|('[^']*'|"[^"]*")|(\$\{[^}]*\})|(!=|<=|>=|=|<|>|\+|-|\*|\||\(|\)|,|\[|\]|\/\/|\/|@|::)|(\.\.)|(\.)|([A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?))/y;
  var KINDS = ["num", "str", "ref", "op", "up", "dot", "name"];
  var WORD_OPS = { and: 1, or: 1, div: 1, mod: 1 };
  var NUMBER = /^[ \t\n\r]*(-?(?:\d+(?:\.\d*)?|\.\d+))[ \t\n\r]*$/;
  var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  var SPACE = /[ \t\n\r]+/;

  function XPathError(message, feature) {
    this.message = message;
    this.feature = feature || "";
  }

  function NodeSet(values) { this.values = values; }

  // ------------------------------------------------------------------------------------- parsing

  function opens(tok) { return tok[0] === "op" && tok[1] !== ")" && tok[1] !== "]"; }

  function tokens(expr) {
    var out = [], pos = 0;
    while (pos < expr.length) {
      if (expr.slice(pos).trim() === "") break;
      TOKEN.lastIndex = pos;
      var m = TOKEN.exec(expr);
      if (!m || TOKEN.lastIndex === pos) throw new XPathError("unexpected character");
      var kind = null, text = null;
      for (var g = 1; g <= 7; g++) if (m[g] !== undefined) { kind = KINDS[g - 1]; text = m[g]; break; }
      if (kind === "name" && WORD_OPS[text] && out.length && !opens(out[out.length - 1])) kind = "op";
      else if (kind === "op" && text === "*" && (!out.length || opens(out[out.length - 1]))) {
        throw new XPathError("wildcard", "path");
      }
      out.push([kind, text]);
      pos = TOKEN.lastIndex;
    }
    return out;
  }

  function Parser(expr) { this.toks = tokens(expr); this.i = 0; }
  Parser.prototype.peek = function () { return this.i < this.toks.length ? this.toks[this.i] : null; };
  Parser.prototype.take = function () {
    var t = this.peek();
    if (!t) throw new XPathError("unexpected end of expression");
    this.i++;
    return t;
  };
  Parser.prototype.atOp = function () {
    var t = this.peek();
    if (!t || t[0] !== "op") return false;
    for (var k = 0; k < arguments.length; k++) if (t[1] === arguments[k]) return true;
    return false;
  };
  Parser.prototype.expect = function (op) {
    if (!this.atOp(op)) throw new XPathError("expected " + op);
    this.i++;
  };
  Parser.prototype.binary = function (ops, operand) {
    var left = operand.call(this);
    while (this.atOp.apply(this, ops)) {
      var op = this.take()[1];
      left = ["bin", op, left, operand.call(this)];
    }
    return left;
  };
  Parser.prototype.parseOr = function () { return this.binary(["or"], this.parseAnd); };
  Parser.prototype.parseAnd = function () { return this.binary(["and"], this.parseEq); };
  Parser.prototype.parseEq = function () { return this.binary(["=", "!="], this.parseRel); };
  Parser.prototype.parseRel = function () { return this.binary(["<", "<=", ">", ">="], this.parseAdd); };
  Parser.prototype.parseAdd = function () { return this.binary(["+", "-"], this.parseMul); };
  Parser.prototype.parseMul = function () { return this.binary(["*", "div", "mod"], this.parseUnary); };
  Parser.prototype.parseUnary = function () {
    if (this.atOp("-")) { this.take(); return ["neg", this.parseUnary()]; }
    var node = this.parsePrimary();
    if (this.atOp("|")) throw new XPathError("union", "union");
    if (this.atOp("[")) throw new XPathError("predicate", "predicate");
    if (this.atOp("/", "//")) throw new XPathError("path", "path");
    return node;
  };
  Parser.prototype.parsePrimary = function () {
    var t = this.take(), kind = t[0], text = t[1];
    if (kind === "num") return ["num", parseFloat(text)];
    if (kind === "str") return ["str", text.slice(1, -1)];
    if (kind === "ref") {
      var name = text.slice(2, -1).trim();
      if (!name) throw new XPathError("empty reference");
      return ["ref", name];
    }
    if (kind === "dot") return ["dot"];
    if (kind === "up") {
      var levels = 1;
      while (this.atOp("/") && this.i + 1 < this.toks.length && this.toks[this.i + 1][0] === "up") {
        this.i += 2;
        levels++;
      }
      return ["up", levels];
    }
    if (kind === "name") return this.atOp("(") ? this.parseCall(text) : ["col", text];
    if (kind === "op" && text === "(") {
      var node = this.parseOr();
      this.expect(")");
      return node;
    }
    if (kind === "op" && (text === "/" || text === "//")) throw new XPathError("path", "path");
    throw new XPathError("unexpected " + text);
  };
  Parser.prototype.parseCall = function (name) {
    this.expect("(");
    var args = [];
    if (!this.atOp(")")) {
      args.push(this.parseOr());
      while (this.atOp(",")) { this.take(); args.push(this.parseOr()); }
    }
    this.expect(")");
    if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
      throw new XPathError("function " + name + "()", name + "()");
    }
    var ar = FUNCTIONS[name];
    if (args.length < ar[0] || (ar[1] !== null && args.length > ar[1])) throw new XPathError("arity");
    if (name === "position" && args[0][0] !== "up") throw new XPathError("position", "position()");
    if (name === "indexed-repeat") {
      var bad = args.length % 2 === 0;
      for (var k = 1; k < args.length; k += 2) if (args[k][0] !== "ref") bad = true;
      if (bad) throw new XPathError("indexed-repeat arguments");
    }
    return ["call", name, args];
  };

  function checkUp(node, insidePosition) {
    if (node[0] === "up" && !insidePosition) throw new XPathError("..", "path");
    if (node[0] === "call") node[2].forEach(function (a) { checkUp(a, node[1] === "position"); });
    else if (node[0] === "bin") { checkUp(node[2], false); checkUp(node[3], false); }
    else if (node[0] === "neg") checkUp(node[1], false);
  }

  var cache = {};
  function parse(expr) {
    if (typeof expr !== "string" || !expr.trim()) throw new XPathError("empty expression");
    if (cache[expr]) return cache[expr];
    var p = new Parser(expr);
    var tree = p.parseOr();
    if (p.peek()) throw new XPathError("unexpected " + p.peek()[1]);
    checkUp(tree, false);
    cache[expr] = tree;
    return tree;
  }

  // ---------------------------------------------------------------------------------- conversion

  function expandExponent(s) {
    var m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
    if (!m) return s;
    var digits = m[2] + (m[3] || ""), exp = parseInt(m[4], 10);
    if (exp < 0) return m[1] + "0." + new Array(-exp).join("0") + digits;
    while (digits.length <= exp) digits += "0";
    return m[1] + digits.slice(0, exp + 1) + (digits.length > exp + 1 ? "." + digits.slice(exp + 1) : "");
  }

  function numberToString(x) {
    if (isNaN(x)) return "NaN";
    if (!isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
    if (Math.floor(x) === x && Math.abs(x) < 1e21) return x === 0 ? "0" : String(x);
    return expandExponent(String(x));
  }

  function toStr(v) {
    if (v instanceof NodeSet) return v.values.length ? v.values[0] : "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return numberToString(v);
    return v;
  }

  function daysSinceEpoch(y, m, d) {
    var t = Date.UTC(y, m - 1, d), dt = new Date(t);
    if (y < 100 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return NaN;
    return t / 86400000;
  }

  function stringToNumber(text) {
    var m = NUMBER.exec(text);
    if (m) return parseFloat(m[1]);
    m = DATE.exec(text.trim());
    if (m) return daysSinceEpoch(parseInt(m[1], 10), parseInt(m[2], 10), parseInt(m[3], 10));
    return NaN;
  }

  function toNum(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    return stringToNumber(toStr(v));
  }

  function toBool(v) {
    if (v instanceof NodeSet) return v.values.length > 0;
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return !isNaN(v) && v !== 0;
    return v.length > 0;
  }

  function splitSelected(text) { return text.split(SPACE).filter(function (p) { return p !== ""; }); }

  // ---------------------------------------------------------------------------------- evaluation

  function evaluate(tree, ctx) {
    switch (tree[0]) {
      case "num": case "str": return tree[1];
      case "ref": return new NodeSet(ctx.resolve(tree[1]));
      case "dot": return new NodeSet(ctx.current());
      case "col": return new NodeSet(ctx.column(tree[1]));
      case "neg": return -toNum(evaluate(tree[1], ctx));
      case "bin": return binary(tree[1], tree[2], tree[3], ctx);
      case "call": return call(tree[1], tree[2], ctx);
    }
    throw new XPathError("cannot evaluate " + tree[0]);
  }

  function binary(op, lt, rt, ctx) {
    if (op === "or") return toBool(evaluate(lt, ctx)) || toBool(evaluate(rt, ctx));
    if (op === "and") return toBool(evaluate(lt, ctx)) && toBool(evaluate(rt, ctx));
    var l = evaluate(lt, ctx), r = evaluate(rt, ctx);
    if (["=", "!=", "<", "<=", ">", ">="].indexOf(op) >= 0) return compare(op, l, r);
    var a = toNum(l), b = toNum(r);
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    if (op === "div") return a / b;
    return a % b;
  }

  function compare(op, l, r) {
    if (l instanceof NodeSet || r instanceof NodeSet) {
      if (typeof l === "boolean" || typeof r === "boolean") return compareAtoms(op, toBool(l), toBool(r));
      var ls = l instanceof NodeSet ? l.values : [l], rs = r instanceof NodeSet ? r.values : [r];
      for (var i = 0; i < ls.length; i++) for (var j = 0; j < rs.length; j++) {
        if (compareAtoms(op, ls[i], rs[j])) return true;
      }
      return false;
    }
    return compareAtoms(op, l, r);
  }

  function compareAtoms(op, a, b) {
    if (op === "=" || op === "!=") {
      var equal;
      if (typeof a === "boolean" || typeof b === "boolean") equal = toBool(a) === toBool(b);
      else if (typeof a === "number" || typeof b === "number") equal = toNum(a) === toNum(b);
      else equal = toStr(a) === toStr(b);
      return op === "=" ? equal : !equal;
    }
    var x = toNum(a), y = toNum(b);
    if (op === "<") return x < y;
    if (op === "<=") return x <= y;
    if (op === ">") return x > y;
    return x >= y;
  }

  function values(v) { return v instanceof NodeSet ? v.values.slice() : [toStr(v)]; }

  function round(x, digits) {
    if (isNaN(x) || !isFinite(x) || isNaN(digits)) return x;
    var n = Math.trunc(digits), m;
    if (Math.abs(n) > 22) return x;
    if (n >= 0) { m = Math.pow(10, n); return Math.floor(x * m + 0.5) / m; }
    m = Math.pow(10, -n);
    return Math.floor(x / m + 0.5) * m;
  }

  function extreme(args, pick) {
    var nums = [];
    args.forEach(function (a) { values(a).forEach(function (v) { nums.push(stringToNumber(v)); }); });
    if (!nums.length || nums.some(isNaN)) return NaN;
    return nums.reduce(function (p, c) { return pick(p, c); });
  }

  function regex(text, pattern) {
    try { return new RegExp(pattern).test(text); } catch (e) { return false; }
  }

  function call(name, argTrees, ctx) {
    if (name === "if") return evaluate(toBool(evaluate(argTrees[0], ctx)) ? argTrees[1] : argTrees[2], ctx);
    if (name === "position") return ctx.position(argTrees[0][1]);
    if (name === "indexed-repeat") {
      var pairs = [];
      for (var i = 1; i < argTrees.length; i += 2) pairs.push([argTrees[i][1], toNum(evaluate(argTrees[i + 1], ctx))]);
      return new NodeSet(ctx.indexed(argTrees[0], pairs));
    }
    var args = argTrees.map(function (a) { return evaluate(a, ctx); });
    if (!args.length && ["string", "number", "string-length", "normalize-space"].indexOf(name) >= 0) {
      args = [new NodeSet(ctx.current())];
    }
    var s = ["count", "sum", "max", "min", "join"].indexOf(name) >= 0 ? [] : args.map(toStr);
    var x, start, stop, begin, total;
    switch (name) {
      case "true": return true;
      case "false": return false;
      case "not": return !toBool(args[0]);
      case "boolean": return toBool(args[0]);
      case "string": return s[0];
      case "number": return toNum(args[0]);
      case "int": x = toNum(args[0]); return isNaN(x) || !isFinite(x) ? x : Math.trunc(x);
      case "round": return round(toNum(args[0]), args.length > 1 ? toNum(args[1]) : 0);
      case "floor": case "ceiling": case "abs": case "sqrt":
        x = toNum(args[0]);
        if (isNaN(x) || !isFinite(x)) return name !== "sqrt" || x > 0 ? x : NaN;
        if (name === "sqrt") return x >= 0 ? Math.sqrt(x) : NaN;
        return name === "floor" ? Math.floor(x) : name === "ceiling" ? Math.ceil(x) : Math.abs(x);
      case "pow": return Math.pow(toNum(args[0]), toNum(args[1]));
      case "concat": return s.join("");
      case "string-length": return Array.from(s[0]).length;
      case "normalize-space": return splitSelected(s[0]).join(" ");
      case "contains": return s[0].indexOf(s[1]) >= 0;
      case "starts-with": return s[0].slice(0, s[1].length) === s[1];
      case "ends-with": return s[1].length === 0 || s[0].slice(-s[1].length) === s[1];
      case "substr":
        start = toNum(args[1]);
        stop = args.length > 2 ? toNum(args[2]) : Infinity;
        if (isNaN(start) || isNaN(stop)) return "";
        var chars = Array.from(s[0]);
        begin = Math.max(0, Math.trunc(start));
        return (isFinite(stop) ? chars.slice(begin, Math.max(begin, Math.trunc(stop))) : chars.slice(begin)).join("");
      case "selected": return splitSelected(s[0]).indexOf(s[1].trim()) >= 0;
      case "count-selected": return splitSelected(s[0]).length;
      case "coalesce": return s[0] !== "" ? s[0] : s[1];
      case "regex": return regex(s[0], s[1]);
      case "today": return ctx.today();
      case "now": return ctx.now();
      case "count": return values(args[0]).length;
      case "count-non-empty": return values(args[0]).filter(function (v) { return v !== ""; }).length;
      case "sum":
        total = 0;
        values(args[0]).forEach(function (v) { total += stringToNumber(v); });
        return total;
      case "max": return extreme(args, Math.max);
      case "min": return extreme(args, Math.min);
      case "join":
        var parts = [];
        args.slice(1).forEach(function (a) { parts = parts.concat(values(a)); });
        return parts.join(toStr(args[0]));
    }
    throw new XPathError("function " + name + "()", name + "()");
  }

  root.SeedlingXPath = {
    parse: parse, evaluate: evaluate, XPathError: XPathError, NodeSet: NodeSet, toStr: toStr,
    toNum: toNum, toBool: toBool, numberToString: numberToString, splitSelected: splitSelected
  };
})(typeof window !== "undefined" ? window : this);
