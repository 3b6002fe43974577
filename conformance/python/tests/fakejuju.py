"""A tiny stand-in for Juju, enough to run the Python charms' hooks in tests.

Not the project's simulator: just the hook tools the three Python charms call,
over a JSON model file, and a driver that runs one hook at a time.

The model file ($FAKE_JUJU_MODEL) holds, per unit, its app, charm dir,
address and leadership; per app, its config and leader settings; per
relation id, its member units and their committed settings. What a hook
writes (relation-set, leader-set, open-port) is kept as pending and
committed by the driver only when the hook exits 0, as Juju does; juju-log
(to $FAKE_JUJU_MODEL.log) and status-set land at once.

`install_tools` writes one small script per tool into a bin dir: juju-log in
shell, the others calling `tool()` below. Only the arguments the charms use
are understood; anything else fails loudly.
"""

import json
import os
import subprocess
import sys

TOOLS = [
    "config-get", "is-leader", "leader-get", "leader-set", "juju-log",
    "status-set", "open-port", "close-port", "unit-get", "relation-ids",
    "relation-list", "relation-get", "relation-set",
]


# ---------------------------------------------------------------- the tools

def _load():
    with open(os.environ["FAKE_JUJU_MODEL"]) as f:
        return json.load(f)


def _save(model):
    _save_to(os.environ["FAKE_JUJU_MODEL"], model)


def _opts(args, with_value=("-r", "-l", "--log-level", "--format")):
    """Split args into ({option: value}, positionals); --format=json style too."""
    opts, rest, i = {}, [], 0
    while i < len(args):
        a = args[i]
        if "=" in a and a.startswith("--"):
            k, v = a.split("=", 1)
            opts[k] = v
        elif a in with_value:
            opts[a] = args[i + 1]
            i += 1
        elif a.startswith("-") and a != "-":
            opts[a] = True
        else:
            rest.append(a)
        i += 1
    return opts, rest


def _out(value):
    print(json.dumps(value))


def tool(name, args):
    model = _load()
    me = os.environ["JUJU_UNIT_NAME"]
    unit = model["units"][me]
    app = unit["app"]
    pending = model["pending"].setdefault(me, {"relations": {}, "leader": {}, "ports": []})
    opts, rest = _opts(args)

    if name == "config-get":
        config = model["config"][app]
        _out(config[rest[0]] if rest else config)
    elif name == "is-leader":
        _out(unit["leader"])
    elif name == "leader-get":
        settings = dict(model["leader_settings"].get(app, {}), **pending["leader"])
        settings = {k: v for k, v in settings.items() if v != ""}
        _out(settings if not rest or rest[0] == "-" else settings.get(rest[0]))
    elif name == "leader-set":
        if not unit["leader"]:
            sys.exit("leader-set: cannot write leadership settings: not the leader")
        pending["leader"].update(kv.split("=", 1) for kv in rest)
    elif name == "status-set":
        model["status"][me] = rest[:2] + [""] * (2 - len(rest[:2]))
    elif name in ("open-port", "close-port"):
        pending["ports"].append([name, rest[0].lower()])
    elif name == "unit-get":
        _out(unit["address"])
    elif name == "relation-ids":
        ids = [rid for rid, rel in sorted(model["relations"].items())
               if me in rel["units"] and rel["names"][app] == rest[0]]
        _out(ids)
    elif name == "relation-list":
        rel = model["relations"][opts.get("-r") or os.environ["JUJU_RELATION_ID"]]
        _out([u for u in rel["units"]
              if u != me and (rel["peer"] or model["units"][u]["app"] != app)])
    elif name == "relation-get":
        rid = opts.get("-r") or os.environ["JUJU_RELATION_ID"]
        key = rest[0] if rest else "-"
        who = rest[1] if len(rest) > 1 else os.environ["JUJU_REMOTE_UNIT"]
        settings = dict(model["relations"][rid]["settings"].get(who, {}))
        if who == me:
            settings.update(pending["relations"].get(rid, {}))
        settings = {k: v for k, v in settings.items() if v != ""}
        _out(settings if key == "-" else settings.get(key))
    elif name == "relation-set":
        if "--help" in opts:
            # No --file here: charmhelpers then passes key=value arguments.
            print("usage: relation-set [-r <id>] key=value ...")
            return
        rid = opts.get("-r") or os.environ["JUJU_RELATION_ID"]
        pending["relations"].setdefault(rid, {}).update(kv.split("=", 1) for kv in rest)
    else:
        sys.exit("fakejuju: unknown tool {}".format(name))
    _save(model)


# --------------------------------------------------------------- the driver

# juju-log runs several times per handler: a shell script appending one
# NUL-terminated "unit<TAB>level<TAB>message" record keeps hooks fast.
JUJU_LOG = r"""#!/usr/bin/env bash
level=INFO
while [[ $# -gt 0 ]]; do
    case $1 in
        -l|--log-level) level=$2; shift 2 ;;
        --log-level=*) level=${1#*=}; shift ;;
        --) shift; break ;;
        *) break ;;
    esac
done
printf '%s\t%s\t%s\0' "$JUJU_UNIT_NAME" "$level" "$*" >>"$FAKE_JUJU_MODEL.log"
"""


def install_tools(bin_dir):
    """Make `bin_dir` hold one executable per hook tool."""
    os.makedirs(bin_dir, exist_ok=True)
    here = os.path.abspath(__file__)
    for name in TOOLS:
        path = os.path.join(bin_dir, name)
        with open(path, "w") as f:
            if name == "juju-log":
                f.write(JUJU_LOG)
            else:
                # -S: the tools need no site-packages, and start faster.
                f.write("#!{} -S\nimport sys\nsys.path.insert(0, {!r})\n"
                        "import fakejuju\nfakejuju.tool({!r}, sys.argv[1:])\n"
                        .format(sys.executable, os.path.dirname(here), name))
        os.chmod(path, 0o755)


class Model:
    """A model file plus the hook-running side of Juju."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.path = os.path.join(workdir, "model.json")
        self.bin = os.path.join(workdir, "bin")
        install_tools(self.bin)
        _save_to(self.path, {"units": {}, "config": {}, "leader_settings": {},
                             "relations": {}, "pending": {}, "status": {},
                             "ports": {}})

    def read(self):
        with open(self.path) as f:
            return json.load(f)

    def write(self, model):
        _save_to(self.path, model)

    def add_unit(self, name, charm_dir, leader=False, address=None):
        m = self.read()
        app = name.split("/")[0]
        m["units"][name] = {"app": app, "charm_dir": charm_dir, "leader": leader,
                            "address": address or "10.0.0.{}".format(len(m["units"]) + 1)}
        if app not in m["config"]:
            m["config"][app] = _defaults(os.path.join(charm_dir, "config.yaml"))
        self.write(m)

    def configure(self, app, **values):
        m = self.read()
        m["config"][app].update(values)
        self.write(m)

    def relate(self, rid, names, peer=False):
        """Create relation `rid`; `names` maps app -> its relation name."""
        m = self.read()
        m["relations"][rid] = {"names": names, "units": [], "settings": {}, "peer": peer}
        self.write(m)

    def enter(self, rid, unit):
        """`unit` enters the relation, its settings pre-filled as Juju does."""
        m = self.read()
        rel = m["relations"][rid]
        rel["units"].append(unit)
        rel["settings"][unit] = {"private-address": m["units"][unit]["address"]}
        self.write(m)

    def leave(self, rid, unit):
        m = self.read()
        m["relations"][rid]["units"].remove(unit)
        self.write(m)

    def run(self, unit, hook, rid=None, remote=None):
        """Run one hook on `unit`; commit its buffered writes if it succeeds."""
        m = self.read()
        u = m["units"][unit]
        env = {
            "PATH": self.bin + os.pathsep + os.environ.get("PATH", ""),
            "FAKE_JUJU_MODEL": self.path,
            "JUJU_UNIT_NAME": unit,
            "JUJU_CHARM_DIR": u["charm_dir"],
            "CHARM_DIR": u["charm_dir"],
            "JUJU_MODEL_NAME": "conformance",
            "JUJU_MODEL_UUID": "00000000-0000-4000-8000-000000000000",
            "JUJU_VERSION": "3.4.0",
            "JUJU_CONTEXT_ID": "{}-{}".format(unit, hook),
            "JUJU_DISPATCH_PATH": "hooks/" + hook,
        }
        if rid is not None:
            rel = m["relations"][rid]
            env["JUJU_RELATION"] = rel["names"][u["app"]]
            env["JUJU_RELATION_ID"] = rid
            env["JUJU_REMOTE_UNIT"] = remote or ""
            env["JUJU_REMOTE_APP"] = remote.split("/")[0] if remote else ""
            if hook.endswith("-relation-departed"):
                env["JUJU_DEPARTING_UNIT"] = remote
        start = len(self.log())
        proc = subprocess.run([os.path.join(u["charm_dir"], "dispatch")], env=env,
                              cwd=u["charm_dir"], capture_output=True, text=True)
        m = self.read()
        pending = m["pending"].pop(unit, None) or {"relations": {}, "leader": {}, "ports": []}
        if proc.returncode == 0:
            for r, settings in pending["relations"].items():
                m["relations"][r]["settings"].setdefault(unit, {}).update(settings)
            m["leader_settings"].setdefault(u["app"], {}).update(pending["leader"])
            ports = set(m["ports"].get(unit, []))
            for op, port in pending["ports"]:
                (ports.add if op == "open-port" else ports.discard)(port)
            m["ports"][unit] = sorted(ports)
        self.write(m)
        logs = [msg for who, _, msg in self.log()[start:] if who == unit]
        return HookResult(proc.returncode, logs, proc.stderr)

    def log(self):
        """Every juju-log call so far: [unit, level, message] records."""
        try:
            with open(self.path + ".log", encoding="utf-8") as f:
                records = f.read().split("\0")[:-1]
        except FileNotFoundError:
            return []
        return [r.split("\t", 2) for r in records]

    def flags(self, unit):
        charm_dir = self.read()["units"][unit]["charm_dir"]
        out = subprocess.run([os.path.join(charm_dir, "dispatch"), "flags"],
                             capture_output=True, text=True, check=True,
                             env={"PATH": os.environ.get("PATH", "")})
        return json.loads(out.stdout)

    def status(self, unit):
        return self.read()["status"].get(unit)

    def settings(self, rid, unit):
        return self.read()["relations"][rid]["settings"].get(unit, {})


class HookResult:
    def __init__(self, rc, logs, stderr):
        self.rc = rc
        self.logs = logs
        self.stderr = stderr

    @property
    def probes(self):
        """Handler names from "probe: <name>" lines, in the order logged."""
        return [m[len("probe: "):] for m in self.logs if m.startswith("probe: ")]


def _defaults(config_yaml):
    if not os.path.exists(config_yaml):
        return {}
    import yaml  # the tools themselves need only the standard library

    with open(config_yaml) as f:
        options = (yaml.safe_load(f) or {}).get("options") or {}
    return {k: (v or {}).get("default") for k, v in options.items()}


def _save_to(path, model):
    with open(path + ".tmp", "w") as f:
        json.dump(model, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)
