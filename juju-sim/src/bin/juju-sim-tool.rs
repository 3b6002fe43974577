//! The hook tools (`relation-get`, `status-set`, ...), one executable
//! dispatching on the name it is called by.

fn main() {
    std::process::exit(juju_sim::tool::main(std::env::args().collect()));
}
