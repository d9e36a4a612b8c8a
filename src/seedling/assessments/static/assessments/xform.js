/* Seedling fill page: relevance, calculations, choice filters, repeats and constraint messages
 * while filling. The server checks every submission again (submission.py), so nothing here is
 * trusted. Needs xpath.js and formdata.js loaded first. No build step, no dependencies.
 */
(function (root) {
  "use strict";

  var X = root.SeedlingXPath, F = root.SeedlingFormData;
  var toStr = X.toStr, toBool = X.toBool, splitSelected = X.splitSelected;
  var FormIndex = F.FormIndex, Context = F.Context, nameToSteps = F.nameToSteps, valueAt = F.valueAt;
  var isDict = F.isDict, compute = F.compute, allowedChoices = F.allowedChoices, evalIn = F.evalIn;

  // ------------------------------------------------------------------------- the fill page (DOM)

  function textIn(texts, lang) {
    if (!texts) return "";
    if (typeof texts === "string") return texts;
    return texts[lang] || texts["default"] || texts[Object.keys(texts)[0]] || "";
  }

  function elementId(name) { return "f-" + name.replace(/[^A-Za-z0-9_\-]+/g, "-").replace(/^-+|-+$/g, ""); }

  function flatPath(name) {
    var out = [];
    (nameToSteps(name) || []).forEach(function (s) { out.push(s[0]); if (s[1] !== null) out.push(s[1]); });
    return out;
  }

  function FillPage(form) {
    var self = this;
    this.form = form;
    this.spec = JSON.parse(document.getElementById("xform-spec").textContent);
    this.lang = JSON.parse(document.getElementById("xform-language").textContent);
    this.index = new FormIndex(this.spec);
    this.env = { today: form.dataset.today, now: form.dataset.now, started: "" };
    this.tried = false;
    this.touched = {};
    form.addEventListener("change", function (e) { self.touch(e.target); self.refresh(); });
    form.addEventListener("input", function (e) { self.touch(e.target); self.refresh(); });
    form.addEventListener("click", function (e) {
      var add = e.target.closest("[data-add]"), remove = e.target.closest("[data-remove]");
      if (add) { self.addInstance(add.closest("[data-repeat]")); self.refresh(); }
      if (remove && window.confirm(form.dataset.msgRemove)) { self.removeInstance(remove.closest(".xf-instance")); self.refresh(); }
    });
    form.addEventListener("submit", function (e) {
      self.tried = true;
      if (!self.refresh()) {
        e.preventDefault();
        var bad = form.querySelector(".xf-invalid:not(.d-none) input, .xf-invalid:not(.d-none) textarea");
        if (bad) bad.focus();
      }
    });
    if (!document.getElementById("xform-errors")) this.dynamicDefaults(form);
    this.refresh();
  }

  FillPage.prototype.touch = function (el) {
    var field = el && el.closest && el.closest("[data-field]");
    if (field) this.touched[field.dataset.node] = true;
  };

  FillPage.prototype.readData = function () {
    var data = {}, spec = this.spec;
    Array.prototype.forEach.call(this.form.elements, function (el) {
      if (!el.name || el.name.charAt(0) === "_" || el.name === "csrfmiddlewaretoken") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      var steps = nameToSteps(el.name);
      if (steps) place(data, spec.children || [], steps, el.value);
    });
    compact(data, spec.children || []);
    return data;
  };

  function place(data, children, steps, value) {
    var node = null;
    for (var i = 0; i < children.length; i++) if (children[i].name === steps[0][0]) node = children[i];
    if (!node) return;
    var name = node.name, pos = steps[0][1];
    if (node.kind === "field") {
      if (steps.length !== 1) return;
      if (node.type === "select_multiple") data[name] = data[name] ? data[name] + " " + value : value;
      else data[name] = value;
    } else if (node.kind === "group") {
      if (!isDict(data[name])) data[name] = {};
      if (steps.length > 1) place(data[name], node.children, steps.slice(1), value);
    } else if (pos !== null) {
      if (!isDict(data[name])) data[name] = {};
      if (!data[name][pos]) data[name][pos] = {};
      if (steps.length > 1) place(data[name][pos], node.children, steps.slice(1), value);
    }
  }

  function compact(data, children) {
    children.forEach(function (node) {
      var v = data[node.name];
      if (node.kind === "repeat") {
        var keys = isDict(v) ? Object.keys(v).map(Number).sort(function (a, b) { return a - b; }) : [];
        data[node.name] = keys.map(function (k) { return v[k]; });
        data[node.name].forEach(function (inst) { compact(inst, node.children); });
      } else if (node.kind === "group" && isDict(v)) compact(v, node.children);
    });
  }

  FillPage.prototype.ctx = function (data, name, choice) {
    return new Context(this.index, data, flatPath(name), { today: this.env.today, now: this.env.now, choice: choice });
  };

  // Recompute everything from the answers on the page; returns whether the form may be submitted.
  FillPage.prototype.refresh = function () {
    var data, result;
    for (var round = 0; round < 4; round++) {
      data = this.readData();
      result = compute(this.spec, data, this.env);
      if (!this.applyCounts(result.counts) && !this.applyFilters(data)) break;
    }
    this.applyRelevance(result.relevance);
    this.applyValues(data);
    return this.validate(data, result.relevance);
  };

  FillPage.prototype.applyCounts = function (counts) {
    var changed = false, self = this;
    Object.keys(counts).forEach(function (name) {
      var section = self.form.querySelector('[data-repeat][data-node="' + cssEscape(name) + '"]');
      if (!section) return;
      var box = section.querySelector(":scope > .xf-instances");
      while (box.children.length < counts[name]) { self.addInstance(section); changed = true; }
      while (box.children.length > counts[name]) { box.removeChild(box.lastElementChild); changed = true; }
    });
    return changed;
  };

  FillPage.prototype.applyFilters = function (data) {
    var changed = false, self = this;
    this.form.querySelectorAll("[data-field]").forEach(function (wrap) {
      var node = self.index.nodes[wrap.dataset.field];
      if (!node || !node.choice_filter) return;
      var allowed = {};
      allowedChoices(self.spec, node, self.ctx(data, wrap.dataset.node)).forEach(function (c) { allowed[c.name] = true; });
      wrap.querySelectorAll(".xf-option").forEach(function (opt) {
        var input = opt.querySelector("input"), ok = !!allowed[input.value];
        opt.classList.toggle("d-none", !ok);
        if (!ok && input.checked) { input.checked = false; changed = true; }
      });
    });
    return changed;
  };

  FillPage.prototype.applyRelevance = function (relevance) {
    this.form.querySelectorAll("[data-node]").forEach(function (el) {
      var r = relevance[el.dataset.node];
      if (r !== undefined) el.classList.toggle("d-none", !r);
    });
  };

  FillPage.prototype.applyValues = function (data) {
    var self = this;
    this.form.querySelectorAll("[data-field]").forEach(function (wrap) {
      var node = self.index.nodes[wrap.dataset.field];
      if (!node || !(node.calculate || node.readonly === true)) return;
      var value = valueAt(data, flatPath(wrap.dataset.node));
      wrap.querySelectorAll("input, textarea").forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") input.checked = splitSelected(value).indexOf(input.value) >= 0;
        else input.value = value;
      });
    });
    this.form.querySelectorAll("[data-output]").forEach(function (span) {
      var holder = span.closest("[data-node]");
      var found = holder ? self.ctx(data, holder.dataset.node).resolve(span.dataset.output) : [];
      span.textContent = found.length ? found[0] : "";
    });
  };

  FillPage.prototype.validate = function (data, relevance) {
    var ok = true, self = this;
    this.form.querySelectorAll("[data-field]").forEach(function (wrap) {
      var name = wrap.dataset.node, node = self.index.nodes[wrap.dataset.field], message = "";
      if (!node || node.calculate || relevance[name] === false) return;
      var value = valueAt(data, flatPath(name)), ctx = self.ctx(data, name);
      if (value === "") {
        var required = node.required === true || (typeof node.required === "string" && toBool(evalIn(node.required, ctx)));
        if (required) message = textIn(node.required_message, self.lang) || self.form.dataset.msgRequired;
        if (message && !self.tried) { ok = false; message = ""; }
      } else if (node.constraint && !toBool(evalIn(node.constraint, ctx))) {
        message = textIn(node.constraint_message, self.lang) || self.form.dataset.msgConstraint;
      }
      if (message) ok = false;
      var box = wrap.querySelector("[data-error]");
      if (box && (message || self.touched[name] || self.tried)) {
        box.textContent = message;
        wrap.classList.toggle("xf-invalid", !!message);
      }
    });
    return ok;
  };

  FillPage.prototype.dynamicDefaults = function (root) {
    var self = this, data = this.readData();
    root.querySelectorAll("[data-field]").forEach(function (wrap) {
      var node = self.index.nodes[wrap.dataset.field];
      if (!node || !node.default_expr) return;
      var value = toStr(evalIn(node.default_expr, self.ctx(data, wrap.dataset.node)));
      if (node.type === "date") value = value.slice(0, 10);
      wrap.querySelectorAll("input, textarea").forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") { if (splitSelected(value).indexOf(input.value) >= 0) input.checked = true; }
        else if (!input.value) input.value = value;
      });
    });
  };

  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }
  function reEscape(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  FillPage.prototype.addInstance = function (section) {
    var box = section.querySelector(":scope > .xf-instances");
    var template = section.querySelector(":scope > template");
    var k = box.children.length, placeholder = "__" + section.dataset.repeat + "__";
    var html = template.innerHTML.split("[" + placeholder + "]").join("[" + k + "]")
      .replace(new RegExp("-" + reEscape(placeholder) + "(?=[-\"])", "g"), "-" + k);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var instance = holder.firstElementChild;
    box.appendChild(instance);
    this.number(box);
    this.dynamicDefaults(instance);
  };

  FillPage.prototype.removeInstance = function (instance) {
    var box = instance.parentNode, following = [], sib = instance.nextElementSibling;
    while (sib) { following.push(sib); sib = sib.nextElementSibling; }
    var oldName = instance.dataset.node;
    box.removeChild(instance);
    following.forEach(function (el) {
      var name = el.dataset.node;
      renumber(el, name, oldName);
      oldName = name;
    });
    this.number(box);
  };

  function renumber(el, from, to) {
    var fromId = elementId(from), toId = elementId(to);
    [el].concat(Array.prototype.slice.call(el.querySelectorAll("*"))).forEach(function (node) {
      ["name", "data-node"].forEach(function (attr) {
        var v = node.getAttribute(attr);
        if (v && (v === from || v.indexOf(from + "/") === 0)) node.setAttribute(attr, to + v.slice(from.length));
      });
      ["id", "for"].forEach(function (attr) {
        var v = node.getAttribute(attr);
        if (v && (v === fromId || v.indexOf(fromId + "-") === 0)) node.setAttribute(attr, toId + v.slice(fromId.length));
      });
      if (node.tagName === "TEMPLATE") {
        node.innerHTML = node.innerHTML.split('="' + from).join('="' + to).split('="' + fromId + "-").join('="' + toId + "-");
      }
    });
  }

  FillPage.prototype.number = function (box) {
    var label = this.form.dataset.msgNumber || "#%s";
    Array.prototype.forEach.call(box.children, function (inst, i) {
      var n = inst.querySelector(":scope > [data-number]");
      if (n) n.textContent = label.replace("%s", String(i + 1));
    });
  };

  root.SeedlingXForm = { FillPage: FillPage };
  if (typeof document !== "undefined") {
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("form[data-xform]").forEach(function (form) { form.xform = new FillPage(form); });
    });
  }

})(typeof window !== "undefined" ? window : this);
