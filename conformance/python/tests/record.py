"""Re-record a scenario's expectations from the Python reference.

    target/conformance-venv/bin/python conformance/python/tests/record.py probe

Review the diff before committing it: the recorded file is the spec.
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario  # noqa: E402


def main(name):
    data = scenario.load(name)
    with tempfile.TemporaryDirectory() as work:
        data = scenario.record(data, work)
    path = os.path.join(scenario.SCENARIOS, name + ".json")
    with open(path, "w") as f:
        f.write(_dump(data))
    print(path)


def _dump(data):
    """JSON with a line per step and per expectation, lists kept on one line."""
    lines = ["{"]
    keys = [k for k in data if k != "steps"]
    for k in keys:
        lines.append("  {}: {},".format(json.dumps(k), json.dumps(data[k])))
    lines.append('  "steps": [')
    steps = data["steps"]
    for i, step in enumerate(steps):
        sep = "," if i < len(steps) - 1 else ""
        head = {k: v for k, v in step.items() if k != "expect"}
        if "expect" not in step:
            lines.append("    " + json.dumps(head) + sep)
            continue
        lines.append("    " + json.dumps(head)[:-1] + ', "expect": {')
        items = list(step["expect"].items())
        for j, (k, v) in enumerate(items):
            end = "," if j < len(items) - 1 else "}}" + sep
            lines.append("      {}: {}{}".format(json.dumps(k), json.dumps(v), end))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1])
