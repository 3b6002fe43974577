//! An offline Juju that runs charms as processes.
