"""Interface `probe`, peers side: binds the probe charm's `peer` relation.

It sets no flags: the probe charm watches its peers with hook handlers.
Without a class here the framework would log an error on every hook for a
relation it cannot bind.
"""

from charms.reactive import RelationBase


class ProbePeers(RelationBase):
    """Plain RelationBase: one conversation per remote unit, nothing else."""
