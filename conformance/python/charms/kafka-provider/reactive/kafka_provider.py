"""Kafka provider: publishes its port to every client over the kafka interface.

The first waiting handler is the interface's documented example; the others
are the extras the Rust example charm has too (see
conformance/python/README.md, "Kafka charms").
"""

from charmhelpers.core import hookenv
from charms.reactive import clear_flag, set_flag, when, when_not

# Set while config source_port is a usable TCP port (1-65535).
PORT_OK = "kafka-provider.port-ok"


def source_port():
    return hookenv.config()["source_port"]


def valid_port(port):
    return isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535


@when("config.changed.source_port")
def check_source_port():
    port = source_port()
    if valid_port(port):
        set_flag(PORT_OK)
    else:
        # Clearing re-tests the rest of this iteration's queue, so nothing
        # publishes or opens the bad port.
        clear_flag(PORT_OK)
        hookenv.status_set("blocked", "Invalid source_port: {}".format(port))


@when("kafka.connected", PORT_OK)
@when_not("kafka.available")
def waiting_for_client(kafka):
    kafka.send_configuration(source_port())
    hookenv.status_set("waiting", "Waiting for a client to become available")


@when("kafka.connected", PORT_OK, "config.changed.source_port")
def republish_port(kafka):
    kafka.send_configuration(source_port())


@when("kafka.available", PORT_OK)
def report_ready(kafka):
    hookenv.open_port(source_port())
    clients = len(kafka.conversations())
    hookenv.status_set("active", "Ready: {} clients".format(clients))


@when(PORT_OK)
@when_not("kafka.connected")
def waiting_for_relation():
    hookenv.status_set("waiting", "Waiting for a client to connect")
