"""Kafka client: waits for a Kafka unit and records where it listens.

Both handlers are the kafka interface's documented example, completed: the
address goes to kafka-client.properties in the charm directory.
"""

import os

from charmhelpers.core import hookenv
from charms.reactive import set_flag, when, when_not

PROPERTIES = "kafka-client.properties"


@when("kafka.connected")
@when_not("kafka.available")
def waiting_for_kafka_available(kafka):
    hookenv.status_set("waiting", "Waiting for availability of Kafka")


@when("kafka.available")
@when_not("service.started")
def configure_kafka(kafka):
    port = kafka.get_kafka_port()
    ip = kafka.get_kafka_ip()
    path = os.path.join(hookenv.charm_dir(), PROPERTIES)
    with open(path, "w") as f:
        f.write("bootstrap.servers={}:{}\n".format(ip, port))
    set_flag("service.started")
    hookenv.status_set("active", "Ready")
