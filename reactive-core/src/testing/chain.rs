//! A relation brought up through the interface's own handlers, as Juju
//! brings it up.

use super::{Hook, Relation, State};

impl State {
    /// Adds `relation` the way Juju brings it up: `-relation-created`,
    /// then `-joined` and `-changed` for each of its remote units, fired
    /// with every handler registered in the executable (the interface's
    /// own handlers set its flags, such as `kafka.connected` and
    /// `kafka.available`).
    ///
    /// # Panics
    /// If a hook fails, naming it and why.
    #[must_use]
    pub fn with_joined_relation(self, relation: Relation) -> State {
        let rid = relation.relation_id();
        let units: Vec<String> = relation.remote_units.keys().cloned().collect();
        let mut state = self.with_relation(relation);
        let mut hooks = vec![Hook::relation("created", &rid, None)];
        for unit in &units {
            hooks.push(Hook::relation("joined", &rid, Some(unit)));
            hooks.push(Hook::relation("changed", &rid, Some(unit)));
        }
        for hook in hooks {
            let name = hook.name.clone();
            let out = state.run(hook);
            if let Some(e) = out.error_message() {
                panic!("testing: bringing up {rid}: {name} failed: {e}");
            }
            state = out.state;
        }
        state
    }
}
