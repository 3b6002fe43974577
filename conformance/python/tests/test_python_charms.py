"""Tests of the Python reference charms on fakejuju (no simulator needed).

Run with conformance/python/tests/run.sh (it bootstraps the virtualenv).
The scenario tests replay conformance/scenarios/*.json and compare with the
recorded expectations; the others pin what the suite relies on: the
`dispatch` contract and a few behaviours the scenarios do not show.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakejuju  # noqa: E402
import scenario  # noqa: E402

VENV = os.environ.get("CONFORMANCE_VENV")


class Workdir(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="conformance-py-")
        self.work = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def built(self, charm, name=None):
        out = os.path.join(self.work, name or charm)
        scenario.build(charm, out, VENV)
        return out


class DispatchContract(Workdir):
    def test_flags_of_a_fresh_unit_are_empty_and_create_no_state(self):
        charm = self.built("probe")
        out = subprocess.run([os.path.join(charm, "dispatch"), "flags"],
                             capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
        self.assertEqual((out.returncode, json.loads(out.stdout)), (0, {}))
        self.assertFalse(os.path.exists(os.path.join(charm, ".unit-state.db")))

    def test_unknown_arguments_are_a_usage_error(self):
        charm = self.built("probe")
        out = subprocess.run([os.path.join(charm, "dispatch"), "get_flags"],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 2)
        self.assertIn("usage: dispatch [flags]", out.stderr)

    def test_no_hook_name_is_an_error(self):
        charm = self.built("probe")
        env = {k: v for k, v in os.environ.items()
               if k not in ("JUJU_DISPATCH_PATH", "JUJU_HOOK_NAME")}
        out = subprocess.run([os.path.join(charm, "dispatch")], capture_output=True,
                             text=True, env=env)
        self.assertEqual(out.returncode, 2)
        self.assertIn("JUJU_DISPATCH_PATH", out.stderr)

    def test_missing_venv_is_reported(self):
        charm = self.built("probe")
        with open(os.path.join(charm, ".venv-path"), "w") as f:
            f.write(os.path.join(self.work, "no-such-venv") + "\n")
        out = subprocess.run([os.path.join(charm, "dispatch"), "flags"],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 2)
        self.assertIn("bootstrap-venv.sh", out.stderr)

    def test_flag_values_are_json(self):
        model = fakejuju.Model(self.work)
        model.add_unit("kafka-client/0", self.built("kafka-client"))
        model.add_unit("kafka-provider/0", self.built("kafka-provider"))
        model.relate("kafka:0", {"kafka-client": "kafka", "kafka-provider": "kafka"})
        model.enter("kafka:0", "kafka-client/0")
        model.enter("kafka:0", "kafka-provider/0")
        result = model.run("kafka-client/0", "kafka-relation-joined", rid="kafka:0",
                           remote="kafka-provider/0")
        self.assertEqual(result.rc, 0, result.stderr)
        flags = model.flags("kafka-client/0")
        # RelationBase records which conversations hold a relation flag.
        self.assertEqual(flags["kafka.connected"], {
            "relation": "kafka",
            "conversations": ["reactive.conversations.kafka:0.kafka-provider/0"],
        })


class ProbeCharm(Workdir):
    def test_scenario(self):
        problems = scenario.check(scenario.load("probe"), self.work, VENV)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_not_unless_only_warns(self):
        model = fakejuju.Model(self.work)
        model.add_unit("probe/0", self.built("probe"), leader=True)
        result = model.run("probe/0", "install")
        self.assertEqual(result.rc, 0, result.stderr)
        self.assertIn("not_unless_probe", result.probes)
        warnings = [msg for _, level, msg in model.log() if level == "WARNING"]
        self.assertTrue(any("not_unless_probe" in w and "probe.related" in w for w in warnings),
                        warnings)

    def test_failed_hook_keeps_no_state(self):
        model = fakejuju.Model(self.work)
        charm = self.built("probe")
        model.add_unit("probe/0", charm, leader=True)
        self.assertEqual(model.run("probe/0", "install").rc, 0)
        db = os.path.join(charm, ".unit-state.db")
        before = _dump_kv(db)
        model.configure("probe", fail=True, trigger=True)
        result = model.run("probe/0", "config-changed")
        self.assertNotEqual(result.rc, 0)
        self.assertIn("failing on demand", result.stderr)
        self.assertEqual(_dump_kv(db), before)


class KafkaCharms(Workdir):
    def test_scenario(self):
        problems = scenario.check(scenario.load("kafka"), self.work, VENV)
        self.assertEqual(problems, [], "\n".join(problems))
        # Written once, from the first port the provider published.
        with open(os.path.join(self.work, "kafka-client-0", "kafka-client.properties")) as f:
            self.assertEqual(f.read(), "bootstrap.servers=10.0.0.1:9092\n")


def _dump_kv(db):
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("select key, data from kv"))
    finally:
        conn.close()


if __name__ == "__main__":
    unittest.main()
