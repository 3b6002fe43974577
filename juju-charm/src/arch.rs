//! Architecture names as Juju spells them (`core/arch/arch.go`): the
//! aliases `uname -m` and Rust use, mapped to Juju's (Debian's) names.

/// Architectures Juju supports, after normalising aliases.
pub const ARCHES: [&str; 6] = ["amd64", "arm64", "i386", "ppc64el", "riscv64", "s390x"];

/// Juju's name for an architecture alias (`arch.NormaliseArch`): `x86_64`
/// is `amd64`, `aarch64` is `arm64`, `ppc64le` is `ppc64el`; a name Juju
/// has no alias for is returned as it is.
pub fn normalise_arch(arch: &str) -> String {
    match arch.trim() {
        "x86_64" | "amd64" => "amd64",
        "i386" | "i486" | "i586" | "i686" | "x86" => "i386",
        "aarch64" | "arm64" | "aarch64_be" => "arm64",
        "ppc64le" | "ppc64el" => "ppc64el",
        other => other,
    }
    .to_string()
}

/// The Juju architecture of the machine this crate was built for. Rust
/// calls both POWER byte orders `powerpc64`; only the little-endian one
/// is Juju's `ppc64el` (the big-endian one is Debian's `ppc64`).
pub fn host_architecture() -> &'static str {
    architecture_of(std::env::consts::ARCH, cfg!(target_endian = "little"))
}

/// The Juju name of Rust's `arch` (`std::env::consts::ARCH`) in the given
/// byte order.
fn architecture_of(arch: &'static str, little_endian: bool) -> &'static str {
    match (arch, little_endian) {
        ("x86_64", _) => "amd64",
        ("x86", _) => "i386",
        ("aarch64", _) => "arm64",
        ("arm", _) => "armhf",
        ("powerpc64", true) => "ppc64el",
        ("powerpc64", false) => "ppc64",
        (other, _) => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The aliases of `core/arch/arch.go`'s `archREs`.
    #[test]
    fn aliases_are_normalised_as_juju_does() {
        for (alias, juju) in [
            ("x86_64", "amd64"),
            ("amd64", "amd64"),
            ("i686", "i386"),
            ("aarch64", "arm64"),
            ("ppc64le", "ppc64el"),
            (" s390x\n", "s390x"),
            ("riscv64", "riscv64"),
            ("sparc", "sparc"),
        ] {
            assert_eq!(normalise_arch(alias), juju, "{alias:?}");
        }
    }

    #[test]
    fn the_byte_order_decides_which_power_this_is() {
        assert_eq!(architecture_of("powerpc64", true), "ppc64el");
        assert_eq!(architecture_of("powerpc64", false), "ppc64");
        assert_eq!(architecture_of("x86_64", true), "amd64");
        assert_eq!(architecture_of("s390x", false), "s390x");
        let host = host_architecture();
        assert_eq!(normalise_arch(host), host);
    }
}
