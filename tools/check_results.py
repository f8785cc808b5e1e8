#!/usr/bin/env python3
"""Check a grader results.json against docs/labs/results.schema.json.

    tools/check_results.py SCHEMA RESULTS [MIN_TESTS]

The schema is the subset of JSON Schema it uses (type, required,
properties, additionalProperties, items, enum, minimum): a checker of our
own, so make test needs no package and no network. Then what a schema
cannot say: each test's score is at most its max_score, the total is the
sum of the tests, and there are at least MIN_TESTS tests (default 1).
Prints every problem and exits 1 if there is one.
"""
import json
import sys

TYPES = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float), "boolean": bool}


def validate(value, schema, where, problems):
    want = schema.get("type")
    # bool is an int in Python; JSON keeps them apart.
    if want and (not isinstance(value, TYPES[want]) or (isinstance(value, bool) and want != "boolean")):
        problems.append(f"{where}: {json.dumps(value)[:40]} is not of type {want}")
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where}: {value} is below {schema['minimum']}")
    if want == "object":
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}: no {key!r}")
        for key, v in value.items():
            if key in props:
                validate(v, props[key], f"{where}.{key}", problems)
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: {key!r} is not in the schema")
    if want == "array" and "items" in schema:
        for i, v in enumerate(value):
            validate(v, schema["items"], f"{where}[{i}]", problems)


def check(schema, doc, min_tests):
    problems = []
    validate(doc, schema, "results", problems)
    if problems:
        return problems
    tests = doc["tests"]
    if len(tests) < min_tests:
        problems.append(f"results: {len(tests)} tests, want at least {min_tests}")
    for i, t in enumerate(tests):
        if t["score"] > t["max_score"]:
            problems.append(f"results.tests[{i}]: score {t['score']} above max_score {t['max_score']}")
    if abs(doc["score"] - sum(t["score"] for t in tests)) > 1e-9:
        problems.append(f"results: score {doc['score']} is not the sum of the tests' scores")
    return problems


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        schema = json.load(fh)
    with open(argv[1], encoding="utf-8") as fh:
        doc = json.load(fh)
    problems = check(schema, doc, int(argv[2]) if len(argv) == 3 else 1)
    for p in problems:
        print(f"BAD {p}")
    print(f"{argv[1]}: {'valid' if not problems else 'INVALID'} ({len(doc.get('tests', []))} tests)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
