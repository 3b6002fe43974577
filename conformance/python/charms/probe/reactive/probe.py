"""Rules probe: one handler per dispatch rule and predicate.

Every handler logs exactly one line, "probe: <handler-name>", when it runs.
Handlers are registered in file order, which is also the (file, line, name)
order, so the Python framework and the Rust twin queue them alike. The spec,
hook by hook, is README.md beside this charm.
"""

import os

import conformance_base
from charmhelpers.core import hookenv, unitdata
from charms.reactive import (
    clear_flag,
    collect_metrics,
    data_changed,
    hook,
    meter_status_changed,
    not_unless,
    only_once,
    register_trigger,
    set_flag,
    toggle_flag,
    when,
    when_all,
    when_any,
    when_file_changed,
    when_none,
    when_not,
    when_not_all,
)

SOURCE = "probe.trigger.source"

# Module level: re-registered on every hook (the framework drops triggers at
# the end of each hook).
register_trigger(when=SOURCE, set_flag="probe.trigger.set")
register_trigger(when=SOURCE, clear_flag="probe.trigger.unset-seen")
register_trigger(when_not=SOURCE, clear_flag="probe.trigger.set")
register_trigger(when_not=SOURCE, set_flag="probe.trigger.unset-seen")
register_trigger(when="probe.trigger.set", set_flag="probe.trigger.chained")


def ran(name):
    hookenv.log("probe: {}".format(name))


def write(path, text):
    with open(os.path.join(hookenv.charm_dir(), path), "w") as f:
        f.write(text)


# D1: restricted mode.
@collect_metrics()
def collect_metrics_probe():
    ran("collect_metrics_probe")


@meter_status_changed()
def meter_status_probe():
    ran("meter_status_probe")


@hook("collect-metrics")
def hook_collect_metrics():
    # Never runs: restricted mode has no hooks phase.
    ran("hook_collect_metrics")


# D2: hooks phase.
@hook("install")
def hook_install():
    ran("hook_install")
    set_flag("probe.installed")


@hook("{start,update-status}")
def hook_alternation():
    ran("hook_alternation")
    set_flag("probe.gate")


@hook("{peers:probe}-relation-{joined,departed}")
def hook_relation(_relation):
    # The framework passes the relation object (interface `probe`); unused.
    ran("hook_relation")
    toggle_flag("probe.related", hookenv.hook_name().endswith("-joined"))


@only_once
def only_once_alone():
    ran("only_once_alone")


@when_file_changed("probe-alone.txt")
def file_changed_alone():
    ran("file_changed_alone")


# D3-D6: other phase.
# when_file_changed listed first: its predicate is tested last, only once the
# flag predicate holds, so the file's hash is recorded only then. First among
# the flag handlers on purpose: see README.md ("when_file_changed").
@when_file_changed("probe-flagged.txt")
@when("probe.installed")
def file_changed_flagged():
    ran("file_changed_flagged")


@only_once
@when("probe.installed")
def only_once_flagged():
    ran("only_once_flagged")


@when("probe.installed")
def when_installed():
    ran("when_installed")
    greeting = hookenv.config("greeting")
    toggle_flag("probe.greeting.changed", data_changed("probe.greeting", greeting))


@when("probe.installed")
@not_unless("probe.related")
def not_unless_probe():
    ran("not_unless_probe")


@when("probe.installed")
@when_not("probe.chain.1")
def chain_start():
    ran("chain_start")
    set_flag("probe.chain.1")


@when("probe.chain.1")
@when_not("probe.chain.2")
def chain_step():
    ran("chain_step")
    set_flag("probe.chain.2")


@when_any("probe.related", "probe.chain.2")
def when_any_probe():
    ran("when_any_probe")


@when_not_all("probe.related", "probe.installed")
def when_not_all_probe():
    ran("when_not_all_probe")


@when("probe.gate")
def gate_clear():
    ran("gate_clear")
    clear_flag("probe.gate")


@when_all("probe.gate", "probe.installed")
def gate_user():
    # Never runs: gate_clear, queued before it, clears probe.gate (D4).
    ran("gate_user")


@when_none("probe.gate", "probe.related")
def when_none_probe():
    ran("when_none_probe")


# Triggers.
@when("config.changed.trigger")
def trigger_follow_config():
    ran("trigger_follow_config")
    toggle_flag(SOURCE, bool(hookenv.config("trigger")))


@when(SOURCE)
@when_not("probe.trigger.set")
def trigger_never():
    # Never runs: the trigger sets probe.trigger.set together with SOURCE.
    ran("trigger_never")


@when("probe.trigger.chained")
def trigger_seen():
    ran("trigger_seen")


# Leadership flags from the base layer.
@when("leadership.is_leader")
@when_not("leadership.set.probe-key")
def leader_publish():
    ran("leader_publish")
    conformance_base.leader_set({"probe-key": "1"})


@when("leadership.changed.probe-key")
def leader_changed_seen():
    ran("leader_changed_seen")


# Rollback: nothing of a failed hook is kept.
@when("config.set.fail")
def fail_on_demand():
    ran("fail_on_demand")
    set_flag("probe.failed")
    raise RuntimeError("failing on demand (config fail=true)")


# D8: the Python framework stops after 100 iterations of the other phase,
# silently; a chain of `chain_length` iterations shows where. One step per
# iteration: each clears its own flag and sets the other's.
@when("config.set.chain_length")
@when_not("probe.long.started")
def long_chain_start():
    ran("long_chain_start")
    unitdata.kv().set("probe.long.count", 0)
    set_flag("probe.long.started")
    set_flag("probe.long.tick")


def long_chain_step(current, following):
    clear_flag(current)
    count = unitdata.kv().get("probe.long.count", 0) + 1
    unitdata.kv().set("probe.long.count", count)
    if count < hookenv.config("chain_length"):
        set_flag(following)
    else:
        set_flag("probe.long.done")


@when("probe.long.tick")
def long_chain_tick():
    ran("long_chain_tick")
    long_chain_step("probe.long.tick", "probe.long.tock")


@when("probe.long.tock")
def long_chain_tock():
    ran("long_chain_tock")
    long_chain_step("probe.long.tock", "probe.long.tick")


# D8: a livelock (probe.spin set and cleared for ever while `livelock` is
# true). The Python framework gives up after 100 iterations, silently.
@when("config.set.livelock")
@when_not("probe.spin")
def livelock_set():
    ran("livelock_set")
    set_flag("probe.spin")


@when("probe.spin")
def livelock_clear():
    ran("livelock_clear")
    clear_flag("probe.spin")


# Last in the file on purpose, and it changes no flag: see README.md
# ("when_file_changed"). The Python framework also tests handlers outside the
# dispatch queue (its log tracer, after every flag change), and that records
# file hashes; writing the files after every other handler of the iteration
# keeps those extra tests from consuming the change.
@when("config.changed.greeting")
def write_files():
    ran("write_files")
    greeting = hookenv.config("greeting")
    write("probe-alone.txt", greeting + "\n")
    write("probe-flagged.txt", greeting + "\n")
