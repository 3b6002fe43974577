//! What a charm executable needs from the machine, read from its ELF
//! headers: the Juju architecture it is built for, and the `GLIBC_*`
//! symbol versions it requires.

use std::collections::BTreeMap;
use std::path::Path;

use goblin::elf::header::{EM_386, EM_AARCH64, EM_ARM, EM_PPC64, EM_RISCV, EM_S390, EM_X86_64};
use goblin::elf::Elf;

use crate::error::{Error, Result};

/// A glibc version, as `(2, 31)`.
pub type GlibcVersion = (u32, u32);

/// What [`read`] finds in an executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executable {
    /// The Juju architecture (`amd64`, `arm64`, `ppc64el`, ...).
    pub architecture: &'static str,
    /// Every `GLIBC_*` version required, with one symbol that requires it
    /// (`(2, 34) => "__libc_start_main"`).
    pub glibc: BTreeMap<GlibcVersion, String>,
}

impl Executable {
    /// The newest glibc version required, with a symbol that requires it.
    pub fn newest_glibc(&self) -> Option<(GlibcVersion, &str)> {
        self.glibc.iter().next_back().map(|(v, s)| (*v, s.as_str()))
    }
}

/// Parses `2.31` or `GLIBC_2.31` (a third component is ignored).
pub fn parse_glibc(text: &str) -> Option<GlibcVersion> {
    let text = text.strip_prefix("GLIBC_").unwrap_or(text);
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Reads the executable at `path`.
pub fn read(path: &Path) -> Result<Executable> {
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let elf = Elf::parse(&bytes).map_err(|source| Error::Elf {
        path: path.to_path_buf(),
        source,
    })?;
    let machine = elf.header.e_machine;
    let little = elf.little_endian;
    let architecture = architecture(machine, little, elf.is_64).ok_or(Error::UnknownMachine {
        path: path.to_path_buf(),
        machine,
        endian: if little {
            "little-endian"
        } else {
            "big-endian"
        },
    })?;
    Ok(Executable {
        architecture,
        glibc: glibc_needs(&elf),
    })
}

/// The Juju (Debian) architecture name of an ELF machine: POWER and
/// others are told apart by their byte order, as `ppc64el` is
/// little-endian only.
pub fn architecture(machine: u16, little_endian: bool, is_64: bool) -> Option<&'static str> {
    Some(match (machine, little_endian, is_64) {
        (EM_X86_64, true, true) => "amd64",
        (EM_386, true, false) => "i386",
        (EM_AARCH64, true, true) => "arm64",
        (EM_ARM, true, false) => "armhf",
        (EM_PPC64, true, true) => "ppc64el",
        (EM_S390, false, true) => "s390x",
        (EM_RISCV, true, true) => "riscv64",
        _ => return None,
    })
}

/// Each `GLIBC_*` version the dynamic symbols require, with the first
/// symbol (by name) bound to it; versions needed without a symbol (only
/// in `.gnu.version_r`) name the library instead.
fn glibc_needs(elf: &Elf) -> BTreeMap<GlibcVersion, String> {
    let mut by_index: BTreeMap<u16, (GlibcVersion, String)> = BTreeMap::new();
    if let Some(verneed) = &elf.verneed {
        for need in verneed.iter() {
            let file = elf.dynstrtab.get_at(need.vn_file).unwrap_or("libc");
            for aux in need.iter() {
                let name = elf.dynstrtab.get_at(aux.vna_name).unwrap_or_default();
                if let Some(v) = name.strip_prefix("GLIBC_").and_then(parse_glibc) {
                    by_index.insert(aux.vna_other, (v, format!("(needed by {file})")));
                }
            }
        }
    }
    let mut out: BTreeMap<GlibcVersion, String> = BTreeMap::new();
    if let Some(versym) = &elf.versym {
        for (i, sym) in elf.dynsyms.iter().enumerate() {
            let Some(index) = versym.get_at(i).map(|v| v.version()) else {
                continue;
            };
            let Some((version, _)) = by_index.get(&index) else {
                continue;
            };
            let name = elf.dynstrtab.get_at(sym.st_name).unwrap_or_default();
            let entry = out.entry(*version).or_insert_with(|| name.to_string());
            if name < entry.as_str() {
                *entry = name.to_string();
            }
        }
    }
    for (version, library) in by_index.into_values() {
        out.entry(version).or_insert(library);
    }
    out
}

/// The Juju architecture of the machine this crate was built for.
pub use juju_charm::host_architecture as architecture_of_this_build;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_executable_is_read() {
        let exe = std::env::current_exe().unwrap();
        let found = read(&exe).unwrap();
        assert_eq!(found.architecture, architecture_of_this_build());
        let (newest, symbol) = found.newest_glibc().expect("linked against glibc");
        assert!(newest >= (2, 2), "{newest:?}");
        assert!(!symbol.is_empty());
    }

    #[test]
    fn power_is_told_apart_by_byte_order() {
        assert_eq!(architecture(EM_PPC64, true, true), Some("ppc64el"));
        assert_eq!(architecture(EM_PPC64, false, true), None);
        assert_eq!(architecture(EM_S390, false, true), Some("s390x"));
    }

    #[test]
    fn versions_parse() {
        assert_eq!(parse_glibc("GLIBC_2.34"), Some((2, 34)));
        assert_eq!(parse_glibc("2.2.5"), Some((2, 2)));
        assert_eq!(parse_glibc("GLIBC_PRIVATE"), None);
    }
}
