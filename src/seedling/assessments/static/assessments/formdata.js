/* Seedling: a filled form as a tree, the expression context, and compute.
 *
 * Mirrors seedling/assessments/formdata.py and submission.compute (the same vectors run both);
 * expressions are evaluated by xpath.js (load it first). Exposes window.SeedlingFormData.
 */
(function (root) {
  "use strict";

  var X = root.SeedlingXPath;
  var parse = X.parse, evaluate = X.evaluate, toStr = X.toStr, toNum = X.toNum, toBool = X.toBool;

  // ------------------------------------------------------------------------- the filled-form tree

  function FormIndex(spec) {
    this.spec = spec;
    this.paths = {};
    this.nodes = {};
    this.collect(spec.children || [], []);
  }
  FormIndex.prototype.collect = function (children, trail) {
    var self = this;
    children.forEach(function (node) {
      var here = trail.concat([[node.name, node.kind]]);
      if (!(node.name in self.paths)) { self.paths[node.name] = here; self.nodes[node.name] = node; }
      if (node.kind === "group" || node.kind === "repeat") self.collect(node.children || [], here);
    });
  };

  function pathToName(path) {
    var parts = [];
    path.forEach(function (step) {
      if (typeof step === "number") parts[parts.length - 1] += "[" + step + "]";
      else parts.push(step);
    });
    return parts.join("/");
  }

  function nameToSteps(name) {
    var steps = [], parts = name.split("/");
    for (var i = 0; i < parts.length; i++) {
      var m = /^([^\/\[\]]+)(?:\[(\d+)\])?$/.exec(parts[i]);
      if (!m) return null;
      steps.push([m[1], m[2] !== undefined ? parseInt(m[2], 10) : null]);
    }
    return steps;
  }

  function isDict(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  function valueAt(data, path) {
    var node = data;
    for (var i = 0; i < path.length - 1; i++) {
      var step = path[i];
      if (typeof step === "number") {
        if (!Array.isArray(node) || step >= node.length) return "";
        node = node[step];
      } else {
        node = isDict(node) ? node[step] : undefined;
        if (node === undefined || node === null) return "";
      }
    }
    var v = isDict(node) ? node[path[path.length - 1]] : "";
    return typeof v === "string" ? v : "";
  }

  function Context(index, data, at, opts) {
    this.index = index;
    this.data = data;
    this.at = at;
    this._today = opts.today;
    this._now = opts.now;
    this.choice = opts.choice || null;
  }
  Context.prototype.today = function () { return this._today; };
  Context.prototype.now = function () { return this._now; };
  Context.prototype.current = function () { return this.at.length ? [valueAt(this.data, this.at)] : [""]; };
  Context.prototype.column = function (name) {
    if (!this.choice || !Object.prototype.hasOwnProperty.call(this.choice, name)) return [];
    return [String(this.choice[name])];
  };
  Context.prototype.resolve = function (name, atArg) {
    var steps = this.index.paths[name];
    if (!steps) return [];
    var at = atArg || this.at, containers = [this.data], aligned = true, li = 0;
    for (var depth = 0; depth < steps.length; depth++) {
      var step = steps[depth][0], kind = steps[depth][1], last = depth === steps.length - 1;
      if (aligned && li < at.length && at[li] === step) li++;
      else aligned = false;
      if (kind === "repeat") {
        var useIndex = aligned && !last && li < at.length && typeof at[li] === "number", nxt = [];
        containers.forEach(function (c) {
          var inst = Array.isArray(c[step]) ? c[step] : [];
          if (useIndex) { if (at[li] < inst.length) nxt.push(inst[at[li]]); }
          else nxt = nxt.concat(inst);
        });
        if (useIndex) li++;
        else aligned = false;
        containers = nxt;
        if (last) return containers.map(function () { return ""; });
      } else if (kind === "group") {
        containers = containers.map(function (c) { return isDict(c[step]) ? c[step] : {}; });
        if (last) return containers.map(function () { return ""; });
      } else {
        return containers.map(function (c) { var v = c[step]; return typeof v === "string" ? v : ""; });
      }
    }
    return [];
  };
  Context.prototype.position = function (levels) {
    var entries = [];
    this.at.forEach(function (step) {
      if (typeof step === "number") entries[entries.length - 1] = step;
      else entries.push(null);
    });
    var target = entries.length - 1 - levels;
    if (target < 0) return 1;
    return entries[target] !== null ? entries[target] + 1 : 1;
  };
  Context.prototype.indexed = function (refTree, pairs) {
    var wanted = {};
    for (var i = 0; i < pairs.length; i++) {
      if (isNaN(pairs[i][1]) || pairs[i][1] < 1) return [];
      wanted[pairs[i][0]] = Math.trunc(pairs[i][1]) - 1;
    }
    var steps = this.index.paths[pairs[pairs.length - 1][0]];
    if (!steps) return [];
    var at2 = [], aligned = true, at = this.at;
    for (var depth = 0; depth < steps.length; depth++) {
      var step = steps[depth][0];
      aligned = aligned && depth < at.length && at[at2.length] === step;
      at2.push(step);
      if (steps[depth][1] === "repeat") {
        if (Object.prototype.hasOwnProperty.call(wanted, step)) at2.push(wanted[step]);
        else if (aligned && at2.length < at.length && typeof at[at2.length] === "number") at2.push(at[at2.length]);
        else at2.push(0);
      }
    }
    at2.push("");
    return this.resolve(refTree[1], at2).slice(0, 1);
  };

  function evalIn(expr, ctx) { return evaluate(parse(expr), ctx); }

  // ---------------------------------------------------------- compute (mirror of submission.compute)

  var MAX_REPEAT = 200;

  function compute(spec, data, env) {
    var index = new FormIndex(spec), relevance = {}, counts = {};
    for (var pass = 0; pass < 50; pass++) {
      relevance = {};
      counts = {};
      if (!computeLevel(spec.children || [], data, [], true, index, data, env, relevance, counts)) break;
    }
    return { relevance: relevance, counts: counts };
  }

  function ctxAt(index, root, path, env) { return new Context(index, root, path, env); }

  function computeLevel(children, container, path, parentRelevant, index, root, env, relevance, counts) {
    var changed = false;
    children.forEach(function (node) {
      var here = path.concat([node.name]), relevant = parentRelevant;
      if (relevant && node.relevant) relevant = toBool(evalIn(node.relevant, ctxAt(index, root, here, env)));
      relevance[pathToName(here)] = relevant;
      if (node.kind === "group") {
        if (!isDict(container[node.name])) container[node.name] = {};
        changed = computeLevel(node.children, container[node.name], here, relevant, index, root, env, relevance, counts) || changed;
      } else if (node.kind === "repeat") {
        if (!Array.isArray(container[node.name])) container[node.name] = [];
        var instances = container[node.name];
        if (node.repeat_count && relevant) {
          var n = toNum(evalIn(node.repeat_count, ctxAt(index, root, here, env)));
          var wanted = isNaN(n) || n < 0 ? 0 : Math.min(Math.trunc(n), MAX_REPEAT);
          counts[pathToName(here)] = wanted;
          if (wanted !== instances.length) {
            instances.length = Math.min(instances.length, wanted);
            while (instances.length < wanted) instances.push({});
            changed = true;
          }
        }
        instances.forEach(function (inst, i) {
          relevance[pathToName(here.concat([i]))] = relevant;
          changed = computeLevel(node.children, inst, here.concat([i]), relevant, index, root, env, relevance, counts) || changed;
        });
      } else {
        var value = fieldValue(node, container, here, relevant, index, root, env);
        if (value !== (container[node.name] || "")) { container[node.name] = value; changed = true; }
      }
    });
    return changed;
  }

  function fieldValue(node, container, here, relevant, index, root, env) {
    if (!relevant) return "";
    var current = container[node.name];
    if (node.calculate) return toStr(evalIn(node.calculate, ctxAt(index, root, here, env)));
    if (node.type === "meta") return { start: env.started || env.now, end: env.now, today: env.today }[node.meta] || "";
    if (node.readonly === true) {
      if (node.default_expr) return toStr(evalIn(node.default_expr, ctxAt(index, root, here, env)));
      return node["default"] || "";
    }
    return typeof current === "string" ? current.trim() : "";
  }

  function allowedChoices(spec, node, ctx) {
    var choices = (spec.choices || {})[node.list || ""] || [];
    if (!node.choice_filter) return choices;
    return choices.filter(function (c) {
      var cols = Object.assign({ name: c.name }, c.data || {});
      var itemCtx = new Context(ctx.index, ctx.data, ctx.at, { today: ctx.today(), now: ctx.now(), choice: cols });
      return toBool(evalIn(node.choice_filter, itemCtx));
    });
  }

  root.SeedlingFormData = {
    FormIndex: FormIndex, Context: Context, pathToName: pathToName, nameToSteps: nameToSteps,
    valueAt: valueAt, isDict: isDict, compute: compute, allowedChoices: allowedChoices, evalIn: evalIn
  };
})(typeof window !== "undefined" ? window : this);
