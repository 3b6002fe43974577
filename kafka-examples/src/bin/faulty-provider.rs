//! A Kafka provider for the end-to-end tests whose handler fails while its
//! `fail` option is true, after the interface and the charm have set flags
//! and published the port in the same hook: none of it may be kept.

use kafka_iface::KafkaProvides;
use reactive_core::prelude::*;

#[when("kafka.connected")]
fn publish(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka.send_configuration(config().require("source_port")?)?;
    set_flag("faulty.published");
    if config().require::<bool>("fail")? {
        return Err(HandlerError::msg("failing on purpose: config fail=true"));
    }
    hookenv::status_set(WorkloadState::Active, "Published")?;
    Ok(())
}

fn main() {
    reactive_core::main()
}
