// Compiles every *.schema.json under the given folders (or files) with ajv
// (draft 2020-12, strict mode as it defaults, ajv-formats for the standard
// formats), then validates each schema's root `examples` against it. Any
// error, and any warning ajv logs (strict mode's "log" checks), is a problem.
//
//   node ajv.cjs FOLDER...               fails on any problem
//   node ajv.cjs --refuse-each FILE...   fails unless every file has a problem
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

function schemaFiles(p, out) {
  if (fs.statSync(p).isDirectory()) {
    for (const entry of fs.readdirSync(p).sort()) schemaFiles(path.join(p, entry), out);
  } else if (p.endsWith(".schema.json")) {
    out.push(p);
  }
  return out;
}

let problems = [];
let file = "";
const warn = (...args) => problems.push(`${file}: ajv warned: ${args.join(" ")}`);
// one instance: the schemas have no `$id`, so none can see another's `$defs`
const ajv = new Ajv2020({ logger: { log() {}, warn, error: warn } });
addFormats(ajv);

/** The problems of one schema file, and how many examples it has. */
function check(f) {
  file = f;
  problems = [];
  let examples = 0;
  try {
    const schema = JSON.parse(fs.readFileSync(f, "utf8"));
    const validate = ajv.compile(schema);
    (schema.examples || []).forEach((example, i) => {
      examples += 1;
      if (!validate(example)) {
        problems.push(`${f}: examples[${i}]: ${ajv.errorsText(validate.errors)}`);
      }
    });
  } catch (e) {
    problems.push(`${f}: ${e.message}`);
  }
  return { problems, examples };
}

const args = process.argv.slice(2);
const refuseEach = args[0] === "--refuse-each";
const files = (refuseEach ? args.slice(1) : args).flatMap((a) => schemaFiles(a, []));
if (files.length === 0) {
  console.error("usage: node ajv.cjs [--refuse-each] FOLDER|FILE...");
  process.exit(2);
}
if (refuseEach) {
  const accepted = files.filter((f) => check(f).problems.length === 0);
  for (const f of accepted) console.error(`ajv accepted ${f}, which it must refuse`);
  console.log(`ajv: refused ${files.length - accepted.length} of ${files.length} schemas`);
  process.exit(accepted.length === 0 ? 0 : 1);
}
const all = [];
let examples = 0;
for (const f of files) {
  const result = check(f);
  all.push(...result.problems);
  examples += result.examples;
}
for (const p of all) console.error(p);
console.log(`ajv: ${files.length} schemas checked, ${examples} examples checked, ${all.length} problems`);
process.exit(all.length === 0 ? 0 : 1);
