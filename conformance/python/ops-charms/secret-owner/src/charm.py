#!/usr/bin/env python3
"""Owner side of the ops secrets test: add, grant, rotate, prune revisions."""

import ops


def record(line):
    with open("events.log", "a") as f:
        f.write(line + "\n")


class SecretOwner(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.creds_relation_joined, self._on_joined)
        framework.observe(self.on.secret_rotate, self._on_rotate)
        framework.observe(self.on.secret_remove, self._on_remove)

    def _on_joined(self, event):
        # One joined hook per reader unit; the secret is shared once.
        if not self.unit.is_leader() or event.relation.data[self.app].get("secret-id"):
            return
        secret = self.app.add_secret({"password": "one"}, label="creds", description="reader password")
        secret.grant(event.relation)
        event.relation.data[self.app]["secret-id"] = secret.id
        record(f"added {secret.id}")
        self.unit.status = ops.ActiveStatus("shared")

    def _on_rotate(self, event):
        info = event.secret.get_info()
        record(f"rotate {info.label} revision {info.revision}")
        event.secret.set_content({"password": "two"})

    def _on_remove(self, event):
        record(f"remove {event.secret.label} revision {event.revision}")
        event.secret.remove_revision(event.revision)


if __name__ == "__main__":
    ops.main(SecretOwner)
