//! juju-sim's hook tools, built with this package for the `juju_rules`
//! tests (cargo builds a package's executables before its integration
//! tests); named apart from juju-sim's own `juju-sim-tool`.

fn main() {
    std::process::exit(juju_sim::tool::main(std::env::args().collect()));
}
