#!/usr/bin/env python3
"""kafka_client requirer written with dpcharmlibs-interfaces, for interop tests."""

import ops
from dpcharmlibs.interfaces import (
    KafkaRequestModel,
    KafkaResponseModel,
    ResourceRequirerEventHandler,
)

RELATION = "kafka-client"


def record(line):
    with open("events.log", "a") as f:
        f.write(line + "\n")


class Requirer(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        requests = [KafkaRequestModel(resource="orders", extra_user_roles="producer,consumer")]
        self.kafka = ResourceRequirerEventHandler(
            self, RELATION, requests, response_model=KafkaResponseModel
        )
        framework.observe(self.kafka.on.resource_created, self._on_created)
        framework.observe(self.kafka.on.endpoints_changed, self._on_endpoints)
        framework.observe(self.kafka.on.authentication_updated, self._on_auth)
        framework.observe(self.on[RELATION].relation_broken, self._on_broken)

    def _on_created(self, event):
        r = event.response
        record(f"created {r.resource} user {r.username} password {r.password} endpoints {r.endpoints} tls {r.tls}")
        self.unit.status = ops.ActiveStatus(f"password {r.password}")

    def _on_endpoints(self, event):
        record(f"endpoints {event.response.endpoints}")

    def _on_auth(self, event):
        r = event.response
        record(f"auth user {r.username} password {r.password}")
        self.unit.status = ops.ActiveStatus(f"password {r.password}")

    def _on_broken(self, event):
        record("broken")


if __name__ == "__main__":
    ops.main(Requirer)
