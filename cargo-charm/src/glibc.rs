//! Which glibc each base has, and the check that refuses an executable
//! that needs a newer one than a base the charm declares.

use std::path::Path;

use crate::charmcraft::Base;
use crate::elf::{Executable, GlibcVersion};
use crate::error::{Error, Result};

/// The glibc of each base `cargo charm` knows (the version in the
/// release's `libc6` package).
pub const BASES: [(&str, GlibcVersion); 7] = [
    ("ubuntu@18.04", (2, 27)),
    ("ubuntu@20.04", (2, 31)),
    ("ubuntu@22.04", (2, 35)),
    ("ubuntu@24.04", (2, 39)),
    ("ubuntu@24.10", (2, 40)),
    ("ubuntu@25.04", (2, 41)),
    ("ubuntu@25.10", (2, 42)),
];

/// The glibc of `base`, if known.
pub fn glibc_of(base: &Base) -> Option<GlibcVersion> {
    let id = base.to_string();
    BASES.iter().find(|(b, _)| *b == id).map(|(_, v)| *v)
}

/// The oldest glibc among `bases`: what to build against. `path` (the
/// `charmcraft.yaml`) is for the message when a base is unknown.
pub fn oldest(bases: &[Base], path: &Path) -> Result<GlibcVersion> {
    let mut oldest: Option<GlibcVersion> = None;
    for base in bases {
        let v = glibc_of(base).ok_or_else(|| Error::UnknownBase {
            path: path.to_path_buf(),
            base: base.to_string(),
            known: BASES.map(|(b, _)| b).join(", "),
        })?;
        oldest = Some(oldest.map_or(v, |o| o.min(v)));
    }
    oldest.ok_or_else(|| Error::project(path, "bases", "declares no base"))
}

/// Refuses `exe` (read from `path`) if it needs a glibc newer than one of
/// `bases` has, naming the version, a symbol that needs it, and the base.
pub fn check(path: &Path, exe: &Executable, bases: &[Base]) -> Result<()> {
    for base in bases {
        let Some(has) = glibc_of(base) else {
            continue;
        };
        if let Some((needed, symbol)) = exe.glibc.iter().rev().find(|(v, _)| **v > has) {
            return Err(Error::GlibcTooNew {
                path: path.to_path_buf(),
                needed: format!("GLIBC_{}.{}", needed.0, needed.1),
                symbol: symbol.clone(),
                base: base.to_string(),
                has: format!("{}.{}", has.0, has.1),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn base(id: &str) -> Base {
        Base::parse(id).unwrap()
    }

    #[test]
    fn the_oldest_base_decides() {
        let bases = [base("ubuntu@24.04"), base("ubuntu@20.04")];
        assert_eq!(oldest(&bases, Path::new("c.yaml")).unwrap(), (2, 31));
        let err = oldest(&[base("centos@7")], Path::new("c.yaml")).unwrap_err();
        assert!(err.to_string().contains("unknown base centos@7"), "{err}");
    }

    #[test]
    fn a_binary_too_new_for_a_base_is_refused_naming_both() {
        let exe = Executable {
            architecture: "amd64",
            glibc: BTreeMap::from([
                ((2, 2), "free".to_string()),
                ((2, 34), "__libc_start_main".to_string()),
            ]),
        };
        let ok = check(Path::new("d"), &exe, &[base("ubuntu@22.04")]);
        assert!(ok.is_ok());
        let err = check(Path::new("d"), &exe, &[base("ubuntu@20.04")]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("GLIBC_2.34 (symbol __libc_start_main)"),
            "{text}"
        );
        assert!(text.contains("ubuntu@20.04 has glibc 2.31"), "{text}");
    }
}
