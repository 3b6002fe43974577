#!/usr/bin/env python3
"""kafka_client provider written with dpcharmlibs-interfaces, for interop tests."""

import ops
from dpcharmlibs.interfaces import (
    KafkaRequestModel,
    KafkaResponseModel,
    ResourceProviderEventHandler,
)

RELATION = "kafka-client"


def record(line):
    with open("events.log", "a") as f:
        f.write(line + "\n")


class Provider(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.kafka = ResourceProviderEventHandler(self, RELATION, KafkaRequestModel)
        framework.observe(self.kafka.on.resource_requested, self._on_requested)
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _response(self, relation, request):
        return KafkaResponseModel(
            salt=request.salt,
            request_id=request.request_id,
            resource=request.resource,
            username=f"user-{relation.id}",
            password=self.config["password"],
            endpoints=self.config["endpoints"],
            tls=False,
        )

    def _on_requested(self, event):
        request = event.request
        record(f"requested {request.resource} roles {request.extra_user_roles}")
        self.kafka.set_response(event.relation.id, self._response(event.relation, request))
        self.unit.status = ops.ActiveStatus(f"granted {request.resource}")

    def _on_config_changed(self, event):
        if not self.unit.is_leader():
            return
        for relation in self.model.relations[RELATION]:
            # A v0 answer is written whole: keep the secrets it points to,
            # so that the new values become their next revisions.
            published = self.kafka.responses(relation, KafkaResponseModel)
            for request in self.kafka.requests(relation):
                if request.resource:
                    response = self._response(relation, request)
                    if published:
                        response.secret_user = published[0].secret_user
                        response.secret_tls = published[0].secret_tls
                    self.kafka.set_response(relation.id, response)
                    record(f"republished {request.resource}")


if __name__ == "__main__":
    ops.main(Provider)
