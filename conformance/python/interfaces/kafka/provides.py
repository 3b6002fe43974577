"""Kafka interface, provides side, on charms.reactive's RelationBase API.

Bound to every relation that metadata.yaml declares under ``provides:`` with
``interface: kafka``; ``{relation_name}`` below is that relation's name.
One conversation per remote unit (scope UNIT).

Flags:
  {relation_name}.connected  a client unit joined; the charm should now
                             publish its port with send_configuration().
  {relation_name}.available  the client unit's first relation-changed has
                             reached this unit (Juju runs it right after
                             -joined): the client is set up.
Both are dropped for a unit's conversation when that unit departs; a flag
stays set while any other conversation still holds it.
"""

from charms.reactive import RelationBase, hook, scopes


class KafkaProvides(RelationBase):
    scope = scopes.UNIT

    @hook("{provides:kafka}-relation-joined")
    def client_joined(self):
        self.conversation().set_state("{relation_name}.connected")

    @hook("{provides:kafka}-relation-changed")
    def client_changed(self):
        self.conversation().set_state("{relation_name}.available")

    @hook("{provides:kafka}-relation-departed")
    def client_departed(self):
        conversation = self.conversation()
        conversation.remove_state("{relation_name}.available")
        conversation.remove_state("{relation_name}.connected")

    def send_configuration(self, port):
        """Publish ``port`` to every client conversation this object holds.

        Given the object a ``{relation_name}.connected`` handler receives,
        that is every connected client unit.
        """
        for conversation in self.conversations():
            conversation.set_remote(port=port)
