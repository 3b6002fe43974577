#!/usr/bin/env python3
"""Reader side of the ops secrets test: read a granted secret, follow it."""

import ops


def record(line):
    with open("events.log", "a") as f:
        f.write(line + "\n")


class SecretReader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.creds_relation_changed, self._on_changed)
        framework.observe(self.on.secret_changed, self._on_secret_changed)

    def _on_changed(self, event):
        secret_id = event.relation.data[event.app].get("secret-id")
        if not secret_id:
            return
        secret = self.model.get_secret(id=secret_id, label="owner-password")
        password = secret.get_content()["password"]
        record(f"read {password}")
        self.unit.status = ops.ActiveStatus(f"password {password}")

    def _on_secret_changed(self, event):
        tracked = event.secret.get_content()["password"]
        latest = event.secret.get_content(refresh=True)["password"]
        record(f"changed {event.secret.label} tracked {tracked} latest {latest}")
        self.unit.status = ops.ActiveStatus(f"password {latest}")


if __name__ == "__main__":
    ops.main(SecretReader)
