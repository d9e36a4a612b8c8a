// Runs tests/xpath_vectors.json through static/assessments/xpath.js and formdata.js (the browser's
// evaluator); prints normalised results as JSON. Called by test_xpath_vectors.py:
//   node run_vectors.js <static/assessments dir> <vectors.json>
"use strict";
const fs = require("fs");
const vm = require("vm");
const path = require("path");
const [staticDir, vectorsPath] = process.argv.slice(2);
const sandbox = vm.createContext({});
for (const name of ["xpath.js", "formdata.js"]) {
  const file = path.join(staticDir, name);
  vm.runInContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
}
const X = Object.assign({}, sandbox.SeedlingXPath, sandbox.SeedlingFormData);
const v = JSON.parse(fs.readFileSync(vectorsPath, "utf8"));

function normalise(r) {
  if (r instanceof X.NodeSet) return ["nodeset", r.values];
  if (typeof r === "number") return ["number", X.numberToString(r)];
  if (typeof r === "boolean") return ["boolean", r];
  return ["string", r];
}

const cases = v.cases.map((c) => {
  try {
    const form = v.forms[c.form];
    const ctx = new X.Context(new X.FormIndex(form), c.data, c.at, {
      today: c.today || v.today, now: c.now || v.now, choice: c.choice || null,
    });
    return normalise(X.evaluate(X.parse(c.expr), ctx));
  } catch (e) {
    return ["error", String(e.message || e)];
  }
});
const refused = v.refused.map(([expr]) => {
  try { X.parse(expr); return null; } catch (e) { return e.feature === undefined ? "crash" : e.feature; }
});
const computes = v.computes.map((c) => {
  const data = JSON.parse(JSON.stringify(c.data));
  const out = X.compute(c.form, data, { today: v.today, now: v.now, started: "" });
  return { data, relevance: out.relevance };
});
process.stdout.write(JSON.stringify({ cases, refused, computes }));
