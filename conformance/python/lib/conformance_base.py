"""Automatic flags of the conformance suite's Python charms.

This is the suite's own minimal base layer. It maintains the flags that
charms built on layer-basic and layer-leadership rely on, and that the Rust
runtime maintains too. The exact rules are written down in
conformance/python/README.md ("Automatic flags"); keep the two in step.

`install()` registers the work with charmhelpers' atstart/atexit queues, so
it must be called before ``charms.reactive.main()``. charms.reactive runs
the atstart queue after handler discovery and before dispatch, and the
atexit queue (in reverse order) only when dispatch succeeded; neither runs
in restricted mode (collect-metrics, meter-status-changed).
"""

import os

import yaml
from charmhelpers.core import hookenv, unitdata

# Where the leader settings seen by the last successful hook are kept: the
# same unitdata prefix layer-leadership uses, so a unit's database reads the
# same either way.
LEADER_SETTINGS_PREFIX = "leadership.settings."


def _flags():
    # Imported late: this module is loaded before charms.reactive, as the
    # layer-basic hook template does, so config flags are managed first.
    from charms.reactive import flags

    return flags


def config_defaults():
    """Option name -> default from the charm's config.yaml (None if absent)."""
    path = os.path.join(hookenv.charm_dir(), "config.yaml")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        options = (yaml.safe_load(f) or {}).get("options") or {}
    return {name: (spec or {}).get("default") for name, spec in options.items()}


def manage_config_flags():
    """Set config.changed*, config.set.* and config.default.* for this hook.

    The previous values are those charmhelpers saved at the end of the last
    successful hook (hookenv.config() saves on success only); before any
    successful hook every option counts as changed.
    """
    flags = _flags()
    config = hookenv.config()
    for name, default in config_defaults().items():
        value = config.get(name)
        if config.changed(name):
            flags.set_flag("config.changed")
            flags.set_flag("config.changed.{}".format(name))
        # Python truth on purpose: false, 0, 0.0 and "" count as "not set".
        flags.toggle_flag("config.set.{}".format(name), bool(value))
        flags.toggle_flag("config.default.{}".format(name), value == default)


def clear_config_changed_flags():
    """End of a successful hook: config.changed* do not outlive the hook."""
    flags = _flags()
    names = set(config_defaults()) | set(hookenv.config().keys())
    flags.clear_flag("config.changed")
    for name in sorted(names):
        flags.clear_flag("config.changed.{}".format(name))


def manage_leadership_flags():
    """Set leadership.is_leader, leadership.set.*, leadership.changed.*.

    leadership.changed.<key> says the key's value differs from the one the
    last successful hook saw, leadership.changed that some key's does (as
    layer-leadership); they stay set until the next hook recomputes them.
    """
    flags = _flags()
    store = unitdata.kv()
    flags.toggle_flag("leadership.is_leader", bool(hookenv.is_leader()))

    seen = store.getrange(LEADER_SETTINGS_PREFIX, strip=True)
    current = dict(hookenv.leader_get() or {})
    for key in seen:
        # A key that disappeared is a change to "no value".
        current.setdefault(key, None)
    any_changed = False
    for key, value in sorted(current.items()):
        changed = value != seen.get(key)
        any_changed = any_changed or changed
        flags.toggle_flag("leadership.changed.{}".format(key), changed)
        flags.toggle_flag("leadership.set.{}".format(key), value is not None)
    flags.toggle_flag("leadership.changed", any_changed)
    store.update(current, prefix=LEADER_SETTINGS_PREFIX)


def leader_set(settings=None, **more):
    """Run leader-set and update the leadership flags at once, on the leader.

    Keys whose value differs from the last one seen get
    leadership.changed.<key> and leadership.changed; leadership.set.<key>
    follows whether the value is None (None deletes the key). Called on a
    non-leader, it logs a warning and leader-set fails as Juju makes it fail.
    """
    flags = _flags()
    store = unitdata.kv()
    settings = dict(settings or {}, **more)
    if not flags.is_flag_set("leadership.is_leader"):
        hookenv.log(
            "leader_set called without flag leadership.is_leader", hookenv.WARNING
        )
    seen = store.getrange(LEADER_SETTINGS_PREFIX, strip=True)
    for key, value in sorted(settings.items()):
        if value != seen.get(key):
            flags.set_flag("leadership.changed.{}".format(key))
            flags.set_flag("leadership.changed")
        flags.toggle_flag("leadership.set.{}".format(key), value is not None)
    hookenv.leader_set(settings)
    store.update(settings, prefix=LEADER_SETTINGS_PREFIX)


def install():
    """Register the automatic flags with charmhelpers' start/exit queues."""
    hookenv.atstart(manage_config_flags)
    hookenv.atstart(manage_leadership_flags)
    hookenv.atexit(clear_config_changed_flags)
