"""Checks every *.schema.json under the given folders (or files) with Python
jsonschema: the schema against the draft 2020-12 meta-schema (check_schema),
its formats against the standard set the generator may write, then each of its
root `examples` against it, formats asserted.

    check.py FOLDER...               fails on any problem
    check.py --refuse-each FILE...   fails unless every file has a problem
"""

import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator

# the formats the generated schemas may use (FORMATS in codegen/src/emit/schema.rs):
# each must have a checker here, or a value of it would go unchecked
FORMATS = {
    "date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6",
    "uri", "uri-reference", "uri-template", "uuid", "json-pointer",
    "relative-json-pointer", "regex",
}
CHECKER = Draft202012Validator.FORMAT_CHECKER


def formats_in(value, found):
    if isinstance(value, dict):
        if isinstance(value.get("format"), str):
            found.add(value["format"])
        for v in value.values():
            formats_in(v, found)
    elif isinstance(value, list):
        for v in value:
            formats_in(v, found)
    return found


def check(file):
    """The problems of one schema file, and how many examples it has."""
    try:
        schema = json.loads(file.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except Exception as e:  # a schema that does not load, or is no schema
        return [f"{file}: {e}"], 0
    problems = []
    unknown = formats_in(schema, set()) - FORMATS
    if unknown:
        problems.append(f"{file}: formats outside the standard set: {sorted(unknown)}")
    validator = Draft202012Validator(schema, format_checker=CHECKER)
    examples = schema.get("examples", [])
    for i, example in enumerate(examples):
        for error in validator.iter_errors(example):
            where = "/" + "/".join(map(str, error.absolute_path))
            problems.append(f"{file}: examples[{i}] at {where}: {error.message}")
    return problems, len(examples)


def main(args):
    refuse_each = args[:1] == ["--refuse-each"]
    files = []
    for arg in map(Path, args[1:] if refuse_each else args):
        files.extend([arg] if arg.is_file() else sorted(arg.rglob("*.schema.json")))
    if not files:
        print("usage: check.py [--refuse-each] FOLDER|FILE...", file=sys.stderr)
        return 2
    missing = FORMATS - set(CHECKER.checkers)
    if missing:
        print(f"python jsonschema has no checker for {sorted(missing)}", file=sys.stderr)
        return 1
    if refuse_each:
        accepted = [f for f in files if not check(f)[0]]
        for f in accepted:
            print(f"python jsonschema accepted {f}, which it must refuse", file=sys.stderr)
        print(f"python jsonschema: refused {len(files) - len(accepted)} of {len(files)} schemas")
        return 0 if not accepted else 1
    problems, examples = [], 0
    for f in files:
        p, n = check(f)
        problems += p
        examples += n
    for p in problems:
        print(p, file=sys.stderr)
    print(f"python jsonschema: {len(files)} schemas checked, {examples} examples checked, {len(problems)} problems")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
