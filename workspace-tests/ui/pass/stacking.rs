//! Stacked attributes, in any order and with any path, make one handler
//! whose predicates are all of theirs, in the order written.
use reactive_core::prelude::*;
use reactive_core::__private::Registry;

#[when("a", "b")]
#[when_not("c")]
#[reactive_core::when_any("d", "e")]
#[allow(clippy::needless_return)]
#[when_not_all("f", "g")]
#[when_none("h")]
#[when_all("i")]
#[when("j")]
#[not_unless("k")]
#[only_once]
#[when_file_changed("/etc/app.conf", "/etc/app.d/extra.conf")]
fn everything() {}

#[only_once()]
#[reactive_core::prelude::hook("install", "{requires:kafka}-relation-{joined,changed}")]
fn hook_and_once() {}

#[collect_metrics]
#[when_file_changed("/etc/metrics.yaml")]
fn metrics() {}

#[meter_status_changed()]
fn meter() {}

fn main() {
    let reg = Registry::from_inventory_in(module_path!(), None).unwrap();
    let got: Vec<(String, Vec<String>)> = reg
        .handlers()
        .into_iter()
        .map(|h| (h.id.rsplit(':').next().unwrap().to_string(), h.predicates))
        .collect();
    let want = [
        (
            "everything",
            vec![
                "when_all(a, b)",
                "when_none(c)",
                "when_any(d, e)",
                "when_not_all(f, g)",
                "when_none(h)",
                "when_all(i)",
                "when_all(j)",
                "when_file_changed(/etc/app.conf, /etc/app.d/extra.conf)",
                "only_once",
            ],
        ),
        ("hook_and_once", vec!["hook(install, {requires:kafka}-relation-{joined,changed})", "only_once"]),
        ("metrics", vec!["restricted(collect-metrics)", "when_file_changed(/etc/metrics.yaml)"]),
        ("meter", vec!["restricted(meter-status-changed)"]),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((name, preds), (want_name, want_preds)) in got.iter().zip(want) {
        assert_eq!(name, want_name);
        assert_eq!(preds, &want_preds);
    }
}
