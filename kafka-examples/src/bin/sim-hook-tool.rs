//! juju-sim's hook tools (`relation-get`, `status-set`, ...), one executable
//! dispatching on the name it is called by: the same program as juju-sim's
//! `juju-sim-tool`, built with this package for the demo and its tests.

fn main() {
    std::process::exit(juju_sim::tool::main(std::env::args().collect()));
}
