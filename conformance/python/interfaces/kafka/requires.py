"""Kafka interface, requires side, on charms.reactive's RelationBase API.

Bound to every relation that metadata.yaml declares under ``requires:`` with
``interface: kafka``; ``{relation_name}`` below is that relation's name.
One conversation per remote unit (scope UNIT).

Flags:
  {relation_name}.connected  a Kafka unit joined; waiting for its port.
  {relation_name}.available  a Kafka unit has published both ``port`` and
                             ``private-address``: read them with
                             get_kafka_ip() and get_kafka_port().
Both are dropped for a unit's conversation when that unit departs.
"""

from charms.reactive import RelationBase, hook, scopes


class KafkaRequires(RelationBase):
    scope = scopes.UNIT

    @hook("{requires:kafka}-relation-joined")
    def kafka_joined(self):
        self.conversation().set_state("{relation_name}.connected")

    @hook("{requires:kafka}-relation-changed")
    def kafka_changed(self):
        if self.get_kafka_port() and self.get_kafka_ip():
            self.conversation().set_state("{relation_name}.available")

    @hook("{requires:kafka}-relation-departed")
    def kafka_departed(self):
        conversation = self.conversation()
        conversation.remove_state("{relation_name}.connected")
        conversation.remove_state("{relation_name}.available")

    def _first_conversation(self, what):
        conversations = self.conversations()
        if not conversations:
            raise Exception("No Kafka unit to read the {} from".format(what))
        return conversations[0]

    def get_kafka_port(self):
        """The ``port`` a Kafka unit published, from the first conversation.

        None while that unit has not published it; raises when this object
        holds no conversation at all.
        """
        return self._first_conversation("port").get_remote("port")

    def get_kafka_ip(self):
        """The ``private-address`` of the Kafka unit of the first conversation.

        None while unknown; raises when this object holds no conversation.
        """
        return self._first_conversation("address").get_remote("private-address")
