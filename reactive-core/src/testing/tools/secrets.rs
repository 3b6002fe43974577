//! The `secret-*` tools over the [`State`]'s secrets: the ones this unit's
//! application (or the unit) owns and the ones granted to it, answered as
//! Juju's tools answer (owners read the latest revision, consumers the one
//! they track until `--refresh`; only the leader changes an application's
//! secret).

use std::collections::BTreeMap;

use super::refused;
use crate::hookenv::{
    secret_id, valid_secret_key, HookError, SecretContent, SecretInfo, SecretOptions, SecretOwner,
    SecretRead, SecretRef, ToolCall,
};
use crate::testing::{Secret, State};

fn check_content(c: &ToolCall, content: &SecretContent) -> Result<(), HookError> {
    match content.keys().find(|k| !valid_secret_key(k)) {
        Some(k) => Err(refused(c.clone(), format!("key {k:?} not valid"))),
        None => Ok(()),
    }
}

fn find<'m>(m: &'m mut State, s: SecretRef<'_>) -> Option<&'m mut Secret> {
    match s {
        SecretRef::Uri(uri) | SecretRef::UriLabelled(uri, _) => m
            .secrets
            .iter_mut()
            .find(|x| secret_id(&x.uri) == secret_id(uri)),
        SecretRef::Label(label) => m
            .secrets
            .iter_mut()
            .find(|x| x.label.as_deref() == Some(label)),
    }
}

/// The secret `s` names, owned by this unit and changeable by it.
fn managed<'m>(m: &'m mut State, c: &ToolCall, uri: &str) -> Result<&'m mut Secret, HookError> {
    let leader = m.leader;
    let s = find(m, SecretRef::Uri(uri))
        .ok_or_else(|| refused(c.clone(), format!("secret {uri:?} not found")))?;
    match s.owner {
        None => Err(refused(
            c.clone(),
            format!("secret {uri:?} is not owned by this unit"),
        )),
        Some(SecretOwner::Application) if !leader => {
            Err(refused(c.clone(), "this unit is not the leader"))
        }
        Some(_) => Ok(s),
    }
}

fn apply(s: &mut Secret, o: &SecretOptions) {
    let set = |field: &mut Option<String>, v: &Option<String>| {
        if v.is_some() {
            field.clone_from(v);
        }
    };
    set(&mut s.label, &o.label);
    set(&mut s.description, &o.description);
    set(&mut s.expire, &o.expire);
    set(&mut s.rotate, &o.rotate);
}

/// `secret-add`.
pub(super) fn add(
    m: &mut State,
    c: &ToolCall,
    content: &SecretContent,
    o: &SecretOptions,
) -> Result<String, HookError> {
    check_content(c, content)?;
    if content.is_empty() {
        return Err(refused(c.clone(), "empty secret value not valid"));
    }
    let owner = o.owner.unwrap_or_default();
    if owner == SecretOwner::Application && !m.leader {
        return Err(refused(c.clone(), "this unit is not the leader"));
    }
    if let Some(label) = &o.label {
        if m.secrets
            .iter()
            .any(|s| s.owner.is_some() && s.label.as_ref() == Some(label))
        {
            return Err(refused(
                c.clone(),
                format!("secret with label {label:?} already exists"),
            ));
        }
    }
    let n = m.secrets.len() + 1;
    let mut secret = Secret {
        uri: format!("secret:memory{n:015}"),
        owner: Some(owner),
        revisions: BTreeMap::from([(1, content.clone())]),
        ..Secret::default()
    };
    apply(&mut secret, o);
    let uri = secret.uri.clone();
    m.secrets.push(secret);
    Ok(uri)
}

/// `secret-get`.
pub(super) fn get(
    m: &mut State,
    c: &ToolCall,
    s: SecretRef<'_>,
    read: SecretRead,
) -> Result<SecretContent, HookError> {
    let secret = find(m, s).ok_or_else(|| refused(c.clone(), format!("secret {s} not found")))?;
    if let SecretRef::UriLabelled(_, label) = s {
        secret.label = Some(label.to_string());
    }
    let latest = secret.latest();
    let revision = match (secret.owner, read) {
        (Some(_), _) | (None, SecretRead::Peek) => latest,
        (None, SecretRead::Refresh) => *secret.tracked.insert(latest),
        (None, SecretRead::Tracked) => *secret.tracked.get_or_insert(latest),
    };
    secret.revisions.get(&revision).cloned().ok_or_else(|| {
        refused(
            c.clone(),
            format!("secret {s} revision {revision} not found"),
        )
    })
}

/// `secret-set`.
pub(super) fn set(
    m: &mut State,
    c: &ToolCall,
    uri: &str,
    content: &SecretContent,
    o: &SecretOptions,
) -> Result<(), HookError> {
    check_content(c, content)?;
    let s = managed(m, c, uri)?;
    apply(s, o);
    if !content.is_empty() {
        let next = s.latest() + 1;
        s.revisions.insert(next, content.clone());
    }
    Ok(())
}

/// `secret-grant`.
pub(super) fn grant(
    m: &mut State,
    c: &ToolCall,
    uri: &str,
    rid: &str,
    unit: Option<&str>,
) -> Result<(), HookError> {
    if m.relation(rid).is_none() {
        return Err(refused(c.clone(), format!("relation {rid:?} not found")));
    }
    let s = managed(m, c, uri)?;
    let units = s.grants.entry(rid.to_string()).or_default();
    match unit {
        Some(u) => drop(units.insert(u.to_string())),
        None => units.clear(),
    }
    Ok(())
}

/// `secret-revoke`.
pub(super) fn revoke(
    m: &mut State,
    c: &ToolCall,
    uri: &str,
    rid: Option<&str>,
    unit: Option<&str>,
) -> Result<(), HookError> {
    let s = managed(m, c, uri)?;
    s.grants.retain(|r, units| {
        if rid.is_some_and(|rid| rid != r) {
            return true;
        }
        match unit {
            Some(u) => {
                units.remove(u);
                !units.is_empty()
            }
            None => false,
        }
    });
    Ok(())
}

/// `secret-remove`.
pub(super) fn remove(
    m: &mut State,
    c: &ToolCall,
    uri: &str,
    revision: Option<u32>,
) -> Result<(), HookError> {
    let s = managed(m, c, uri)?;
    if let Some(r) = revision {
        if s.revisions.remove(&r).is_none() {
            return Err(refused(c.clone(), format!("secret revision {r} not found")));
        }
        if !s.revisions.is_empty() {
            return Ok(());
        }
    }
    let id = secret_id(uri).to_string();
    m.secrets.retain(|s| secret_id(&s.uri) != id);
    Ok(())
}

/// `secret-ids`.
pub(super) fn ids(m: &State) -> Vec<String> {
    m.secrets
        .iter()
        .filter(|s| s.owner.is_some())
        .map(|s| secret_id(&s.uri).to_string())
        .collect()
}

/// `secret-info-get`.
pub(super) fn info(m: &mut State, c: &ToolCall, s: SecretRef<'_>) -> Result<SecretInfo, HookError> {
    let secret = find(m, s)
        .filter(|x| x.owner.is_some())
        .ok_or_else(|| refused(c.clone(), format!("secret {s} not found")))?;
    Ok(SecretInfo {
        id: secret_id(&secret.uri).to_string(),
        revision: secret.latest(),
        label: secret.label.clone().unwrap_or_default(),
        owner: secret.owner.unwrap_or_default(),
        description: secret.description.clone(),
        rotation: secret.rotate.clone(),
        expiry: secret.expire.clone(),
        rotates: None,
    })
}

/// The `secret-*` methods of [`HookTools`](crate::hookenv::HookTools) for
/// `MemoryTools`, each one call of this module's functions on its state;
/// expanded inside that `impl`.
macro_rules! secret_tools {
    () => {
        fn secret_add(
            &self,
            content: &crate::hookenv::SecretContent,
            options: &crate::hookenv::SecretOptions,
        ) -> Result<String, HookError> {
            let c = crate::hookenv::call::secret_add(content, options);
            secrets::add(&mut self.world.borrow_mut().state, &c, content, options)
        }

        fn secret_get(
            &self,
            secret: crate::hookenv::SecretRef<'_>,
            read: crate::hookenv::SecretRead,
        ) -> Result<crate::hookenv::SecretContent, HookError> {
            let c = crate::hookenv::call::secret_get(secret, read);
            secrets::get(&mut self.world.borrow_mut().state, &c, secret, read)
        }

        fn secret_set(
            &self,
            uri: &str,
            content: &crate::hookenv::SecretContent,
            options: &crate::hookenv::SecretOptions,
        ) -> Result<(), HookError> {
            let c = crate::hookenv::call::secret_set(uri, content, options);
            secrets::set(
                &mut self.world.borrow_mut().state,
                &c,
                uri,
                content,
                options,
            )
        }

        fn secret_grant(
            &self,
            uri: &str,
            relation_id: &str,
            unit: Option<&str>,
        ) -> Result<(), HookError> {
            let c = crate::hookenv::call::secret_grant(uri, relation_id, unit);
            let state = &mut self.world.borrow_mut().state;
            secrets::grant(state, &c, uri, relation_id, unit)
        }

        fn secret_revoke(
            &self,
            uri: &str,
            relation_id: Option<&str>,
            unit: Option<&str>,
        ) -> Result<(), HookError> {
            let c = crate::hookenv::call::secret_revoke(uri, relation_id, unit);
            let state = &mut self.world.borrow_mut().state;
            secrets::revoke(state, &c, uri, relation_id, unit)
        }

        fn secret_remove(&self, uri: &str, revision: Option<u32>) -> Result<(), HookError> {
            let c = crate::hookenv::call::secret_remove(uri, revision);
            secrets::remove(&mut self.world.borrow_mut().state, &c, uri, revision)
        }

        fn secret_ids(&self) -> Result<Vec<String>, HookError> {
            Ok(secrets::ids(&self.world.borrow().state))
        }

        fn secret_info_get(
            &self,
            secret: crate::hookenv::SecretRef<'_>,
        ) -> Result<crate::hookenv::SecretInfo, HookError> {
            let c = crate::hookenv::call::secret_info_get(secret);
            secrets::info(&mut self.world.borrow_mut().state, &c, secret)
        }
    };
}
pub(super) use secret_tools;
