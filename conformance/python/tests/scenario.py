"""Run a conformance scenario file (conformance/scenarios/*.json) on fakejuju.

A scenario names its charm(s), units, relations and a list of steps:

  {"config": {"app": "probe", "values": {"greeting": "hi"}}}
  {"enter": "probe/1", "relation": "peer:0"}     unit joins the relation
  {"leave": "probe/1", "relation": "peer:0"}     unit leaves it
  {"unit": "probe/0", "hook": "install", "expect": {...}}
  {"unit": "probe/0", "hook": "peer-relation-joined",
   "relation": "peer:0", "remote": "probe/1", "expect": {...}}

"expect" holds what the Python reference did: "rc" (0 or not), "runs"
(handler names from "probe: <name>" log lines, in order), "set" and
"cleared" (flags that appeared and disappeared on that unit, as read by
`dispatch flags` before and after the hook), and, when the scenario's
"record" list names them, "status" ([state, message] after the hook),
"ports" (the unit's open ports) and "settings" (the unit's committed
settings on each relation id).

`record` fills the expectations from a run; `check` compares a run with
them and returns the differences.
"""

import json
import os
import subprocess

import fakejuju

DEFAULT_FIELDS = ["rc", "runs", "set", "cleared"]
HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
SCENARIOS = os.path.join(os.path.dirname(PYTHON_DIR), "scenarios")


def load(name):
    with open(os.path.join(SCENARIOS, name + ".json")) as f:
        return json.load(f)


def build(charm, out_dir, venv=None):
    cmd = [os.path.join(PYTHON_DIR, "build-charm.sh"), charm, out_dir]
    if venv:
        cmd.append(venv)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def setup(scenario, workdir, venv=None):
    """A fakejuju model with the scenario's units (one built charm each)."""
    model = fakejuju.Model(workdir)
    for unit, spec in scenario["units"].items():
        charm_dir = os.path.join(workdir, unit.replace("/", "-"))
        build(spec["charm"], charm_dir, venv)
        model.add_unit(unit, charm_dir, leader=spec.get("leader", False))
    for rid, spec in scenario.get("relations", {}).items():
        model.relate(rid, spec["names"], peer=spec.get("peer", False))
        for unit in spec.get("units", []):
            model.enter(rid, unit)
    return model


def run(scenario, workdir, venv=None):
    """Run every step; yield (index, step, observed, result) for hook steps."""
    model = setup(scenario, workdir, venv)
    for index, step in enumerate(scenario["steps"]):
        if "config" in step:
            model.configure(step["config"]["app"], **step["config"]["values"])
        elif "enter" in step:
            model.enter(step["relation"], step["enter"])
        elif "leave" in step:
            model.leave(step["relation"], step["leave"])
        else:
            unit = step["unit"]
            before = model.flags(unit)
            result = model.run(unit, step["hook"], rid=step.get("relation"),
                               remote=step.get("remote"))
            after = model.flags(unit)
            state = model.read()
            observed = {
                "rc": result.rc,
                "runs": result.probes,
                "set": sorted(set(after) - set(before)),
                "cleared": sorted(set(before) - set(after)),
                "status": state["status"].get(unit),
                "ports": state["ports"].get(unit, []),
                "settings": {rid: rel["settings"][unit]
                             for rid, rel in sorted(state["relations"].items())
                             if unit in rel["settings"]},
            }
            yield index, step, observed, result


def record(scenario, workdir, venv=None):
    """The scenario with every hook step's "expect" set from a run."""
    fields = scenario.get("record", DEFAULT_FIELDS)
    for _, step, observed, _ in run(scenario, workdir, venv):
        step["expect"] = {k: observed[k] for k in fields}
    return scenario


def check(scenario, workdir, venv=None):
    """Differences between a run and the expectations, as readable lines."""
    problems = []
    for i, step, observed, result in run(scenario, workdir, venv):
        for key, want in step["expect"].items():
            got = observed[key]
            if key == "rc":
                same = (got == 0) == (want == 0)
            else:
                same = got == want
            if not same:
                problems.append("step {} ({} {}): {}: expected {!r}, got {!r}{}".format(
                    i, step["unit"], step["hook"], key, want, got,
                    "\n" + result.stderr[-2000:] if result.rc else ""))
    return problems
