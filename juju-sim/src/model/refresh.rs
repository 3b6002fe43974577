//! Where charms come from (a directory, or a `.charm` archive unpacked
//! under the model) and the base check Juju makes on deploy (see
//! [`crate::manifest`]); and `juju refresh`: a new charm for an application. Juju runs
//! `upgrade-charm` on every unit, then `config-changed`
//! (`worker/uniter/resolver.go`: a charm change is followed by a config
//! check), each unit keeping the files it wrote.

use std::path::Path;

use super::events::Event;
use super::{charmdir, Model};
use crate::archive;
use crate::charm::Charm;
use crate::error::Error;
use crate::manifest::{self, Mismatch};

impl Model {
    /// Reads the charm at `path`: a directory, or a `.charm` archive,
    /// unpacked (with its file modes) under `<workdir>/charms/`. Its
    /// `manifest.yaml` must declare the model's base; an archive without
    /// one is refused, a directory (a source tree) may lack it.
    pub(super) fn load_charm(&mut self, path: &Path) -> Result<Charm, Error> {
        let is_archive = path.is_file();
        let dir = if is_archive {
            self.state.next_charm += 1;
            let stem = path
                .file_stem()
                .map_or("charm".into(), |s| s.to_string_lossy().into_owned());
            let dst = archive::unpack_dir(&self.workdir, &stem, self.state.next_charm);
            if dst.exists() {
                std::fs::remove_dir_all(&dst).map_err(|e| Error::io(&dst, e))?;
            }
            archive::unpack(path, &dst)?;
            dst
        } else {
            path.to_path_buf()
        };
        let base = self.base();
        match manifest::check(&dir, &base) {
            Ok(()) => {}
            Err(Mismatch::NoManifest) if !is_archive => {}
            Err(mismatch) => {
                let reason = match mismatch {
                    Mismatch::NoManifest => "it has no manifest.yaml".to_string(),
                    Mismatch::Malformed(e) => format!("its manifest.yaml is malformed: {e}"),
                    Mismatch::NotDeclared { declared } => format!(
                        "its manifest.yaml declares [{}], not {base} on {}",
                        declared.join(", "),
                        manifest::host_architecture()
                    ),
                };
                return Err(Error::WrongBase {
                    charm: path.to_path_buf(),
                    reason,
                });
            }
        }
        Charm::load(&dir)
    }

    /// Replaces `app`'s charm with the one at `charm` (a directory or a
    /// `.charm` archive), then queues `upgrade-charm` and `config-changed`
    /// on every unit. Config values of options the new charm dropped are
    /// forgotten. Relation endpoints in use must still exist.
    pub fn refresh(&mut self, app: &str, charm: impl AsRef<Path>) -> Result<(), Error> {
        let old = self.app(app)?.charm.clone();
        let new = self.load_charm(charm.as_ref())?;
        if new.name != old.name {
            return Err(Error::CannotRefresh {
                app: app.into(),
                reason: format!("the charm is {:?}, not {:?}", new.name, old.name),
            });
        }
        for rel in self.state.relations.values().filter(|r| !r.removed) {
            for end in rel.ends.iter().filter(|e| e.app == app) {
                let kept = new.endpoints.get(&end.endpoint);
                if kept.is_none_or(|e| e.role != end.role || e.interface != end.interface) {
                    return Err(Error::CannotRefresh {
                        app: app.into(),
                        reason: format!("endpoint {:?} is in use and changed", end.endpoint),
                    });
                }
            }
        }
        for unit in self.state.all_app_units(app) {
            let dir = self.state.units[&unit].charm_dir();
            charmdir::replace(&old.dir, &new.dir, &dir)?;
        }
        if let Some(a) = self.state.apps.get_mut(app) {
            a.config.retain(|k, _| new.options.contains_key(k));
            a.charm = new;
        }
        for unit in self.state.app_units(app) {
            self.state.enqueue(&unit, Event::UpgradeCharm);
            self.state.enqueue(&unit, Event::ConfigChanged);
        }
        Ok(())
    }
}
