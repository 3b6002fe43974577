"""Entry point behind a Python conformance charm's `dispatch`.

    dispatch            run the hook named by JUJU_DISPATCH_PATH (Juju's way)
                        or JUJU_HOOK_NAME, through charms.reactive.main()
    dispatch flags      print the unit's flags as one JSON object
                        {flag: value}, keys sorted, and exit 0

The unit's state is charmhelpers' unitdata sqlite file: $UNIT_STATE_DB, else
$CHARM_DIR/.unit-state.db. CHARM_DIR defaults to the directory holding this
charm's `dispatch`, so `dispatch flags` works outside a hook too.
"""

import json
import os
import sqlite3
import sys

FLAG_PREFIX = "reactive.states."
USAGE = "usage: dispatch [flags]"


def _charm_dir():
    here = os.path.dirname(os.path.abspath(__file__))  # <charm>/lib
    return os.path.dirname(here)


def _state_db(charm_dir):
    if "UNIT_STATE_DB" in os.environ:
        return os.environ["UNIT_STATE_DB"]
    base = os.environ.get("JUJU_CHARM_DIR") or os.environ.get("CHARM_DIR") or charm_dir
    return os.path.join(base, ".unit-state.db")


def read_flags(db_path):
    """The flags stored in a unitdata database, read-only ({} if none yet)."""
    if not os.path.exists(db_path):
        return {}
    conn = sqlite3.connect("file:{}?mode=ro".format(db_path), uri=True)
    try:
        rows = conn.execute(
            "select key, data from kv where substr(key, 1, ?) = ?",
            (len(FLAG_PREFIX), FLAG_PREFIX),
        ).fetchall()
    except sqlite3.OperationalError as e:
        # A database created but never initialised has no kv table yet.
        if "no such table" in str(e):
            return {}
        raise
    finally:
        conn.close()
    return {key[len(FLAG_PREFIX):]: json.loads(data) for key, data in rows}


def print_flags(charm_dir):
    flags = read_flags(_state_db(charm_dir))
    json.dump(flags, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 0


def run_hook(charm_dir):
    dispatch_path = os.environ.get("JUJU_DISPATCH_PATH")
    hook = os.path.basename(dispatch_path) if dispatch_path else os.environ.get("JUJU_HOOK_NAME")
    if not hook:
        sys.stderr.write(
            "dispatch: no hook to run: JUJU_DISPATCH_PATH and JUJU_HOOK_NAME are unset\n"
            + USAGE + "\n"
        )
        return 2
    # charmhelpers takes the hook name from JUJU_HOOK_NAME or argv[0] only.
    os.environ["JUJU_HOOK_NAME"] = hook
    os.environ.setdefault("JUJU_CHARM_DIR", charm_dir)
    os.environ.setdefault("CHARM_DIR", os.environ["JUJU_CHARM_DIR"])
    os.chdir(os.environ["JUJU_CHARM_DIR"])
    sys.argv[0] = hook

    import conformance_base

    conformance_base.install()
    from charms.reactive import main

    main()
    return 0


def entry(argv):
    charm_dir = _charm_dir()
    if not argv:
        return run_hook(charm_dir)
    if argv == ["flags"]:
        return print_flags(charm_dir)
    sys.stderr.write("dispatch: unknown arguments {}\n{}\n".format(argv, USAGE))
    return 2


if __name__ == "__main__":
    sys.exit(entry(sys.argv[1:]))
