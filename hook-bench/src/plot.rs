//! The chart (`docs/benchmarks.svg`): per-hook wall time by hook kind over
//! the lifecycle, a box per side, on a log axis.
//!
//! Written by hand rather than with `plotters`: its box plot draws
//! whiskers at 1.5 × IQR fences that are not clamped to the data, which go
//! below zero and break the logarithmic axis this chart needs (the two
//! sides are two orders of magnitude apart). The SVG is small and plain.

use std::fmt::Write;
use std::path::Path;

use crate::error::BenchError;
use crate::sample::{quantile, wall_ms, Side};
use crate::Results;

const REFERENCE_COLOUR: &str = "#d95f02";
const OURS_COLOUR: &str = "#1b9e77";
const LEFT: f64 = 80.0;
const RIGHT: f64 = 190.0;
const TOP: f64 = 90.0;
const PLOT_HEIGHT: f64 = 340.0;
const BOTTOM: f64 = 150.0;
const SLOT: f64 = 58.0;
const BOX_WIDTH: f64 = 18.0;

/// One category: a label and the wall times (ms) of each side.
struct Category {
    label: String,
    reference: Vec<f64>,
    ours: Vec<f64>,
}

/// The five figures a box shows.
struct Box5 {
    p10: f64,
    p25: f64,
    median: f64,
    p75: f64,
    p90: f64,
    max: f64,
}

impl Box5 {
    fn of(values: &[f64]) -> Option<Box5> {
        let q = |p| quantile(values, p);
        Some(Box5 {
            p10: q(0.1)?,
            p25: q(0.25)?,
            median: q(0.5)?,
            p75: q(0.75)?,
            p90: q(0.9)?,
            max: q(1.0)?,
        })
    }
}

fn categories(r: &Results) -> Vec<Category> {
    let times = |side: Side, kind: Option<&str>| -> Vec<f64> {
        r.lifecycle
            .iter()
            .filter(|s| s.side == side && kind.is_none_or(|k| s.kind == k))
            .map(wall_ms)
            .collect()
    };
    let mut kinds: Vec<&str> = Vec::new();
    for side in Side::BOTH {
        for s in r.lifecycle.iter().filter(|s| s.side == side) {
            if !kinds.contains(&s.kind.as_str()) {
                kinds.push(&s.kind);
            }
        }
    }
    let all = Category {
        label: "all hooks".into(),
        reference: times(Side::Reference, None),
        ours: times(Side::Ours, None),
    };
    std::iter::once(all)
        .chain(kinds.into_iter().map(|k| Category {
            label: k.to_string(),
            reference: times(Side::Reference, Some(k)),
            ours: times(Side::Ours, Some(k)),
        }))
        .collect()
}

/// The floors drawn as dashed lines: (label in two lines, median ms).
fn floor_lines(r: &Results) -> Vec<((&'static str, &'static str), f64)> {
    let median = |samples: &[crate::sample::Sample]| {
        let v: Vec<f64> = samples.iter().map(wall_ms).collect();
        quantile(&v, 0.5)
    };
    [
        (
            ("empty reactive-rs charm", "the runtime alone"),
            median(&r.floors.empty_reactive),
        ),
        (("null charm", "spawning a hook"), median(&r.floors.null)),
    ]
    .into_iter()
    .filter_map(|(label, v)| Some((label, v?)))
    .collect()
}

/// Writes the chart to `path`.
pub fn draw(r: &Results, path: &Path) -> Result<(), BenchError> {
    let svg = render(r).ok_or_else(|| BenchError::Plot {
        path: path.to_path_buf(),
        message: "no hook was measured".into(),
    })?;
    std::fs::write(path, svg).map_err(|e| BenchError::io(path, e))
}

/// The SVG text; `None` when there is nothing to draw.
fn render(r: &Results) -> Option<String> {
    let cats = categories(r);
    let floors = floor_lines(r);
    let values = cats
        .iter()
        .flat_map(|c| c.reference.iter().chain(&c.ours))
        .chain(floors.iter().map(|(_, v)| v));
    let (lo, hi) = values
        .filter(|v| **v > 0.0)
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if lo > hi {
        return None;
    }
    let (d_lo, d_hi) = (
        lo.log10().floor() as i32,
        hi.log10().ceil().max(lo.log10().floor() + 1.0) as i32,
    );
    let width = LEFT + RIGHT + SLOT * cats.len() as f64;
    let height = TOP + PLOT_HEIGHT + BOTTOM;
    let y = |ms: f64| {
        let floor = 10f64.powi(d_lo);
        let t = (ms.max(floor).log10() - f64::from(d_lo)) / f64::from(d_hi - d_lo);
        TOP + PLOT_HEIGHT * (1.0 - t)
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let title = format!(
        "Wall time per hook, Kafka lifecycle ({} run(s) per side{})",
        r.config.lifecycle_repeats,
        if r.config.quick { ", quick run" } else { "" }
    );
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="28" font-size="16" font-weight="bold">{}</text>"#,
        escape(&title)
    );
    legend(&mut s);
    // Decade grid lines with labels, lighter lines at 2 and 5.
    for d in d_lo..=d_hi {
        let base = 10f64.powi(d);
        let yy = y(base);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="#bbb"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            width - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            tick_label(base)
        );
        if d < d_hi {
            for m in [2.0, 5.0] {
                let ym = y(base * m);
                let _ = writeln!(
                    s,
                    r##"<line x1="{LEFT}" x2="{:.1}" y1="{ym:.1}" y2="{ym:.1}" stroke="#eee"/>"##,
                    width - RIGHT
                );
            }
        }
    }
    let _ = writeln!(
        s,
        r#"<text transform="translate(20,{:.1}) rotate(-90)" text-anchor="middle">wall time per hook, ms (log scale)</text>"#,
        TOP + PLOT_HEIGHT / 2.0
    );
    // Floors: dashed across the plot, labelled in the right margin.
    for (label, ms) in &floors {
        let yy = y(*ms);
        let tx = width - RIGHT + 8.0;
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{yy:.1}" y2="{yy:.1}" stroke="#444" stroke-dasharray="5,4"/><text x="{tx:.1}" y="{:.1}" fill="#444" font-size="11"><tspan x="{tx:.1}">{}</tspan><tspan x="{tx:.1}" dy="13">{}: {ms:.1} ms</tspan></text>"##,
            width - RIGHT,
            yy - 2.0,
            escape(label.0),
            escape(label.1),
        );
    }
    for (i, c) in cats.iter().enumerate() {
        let cx = LEFT + SLOT * (i as f64 + 0.5);
        for (values, colour, dx) in [
            (&c.reference, REFERENCE_COLOUR, -11.0),
            (&c.ours, OURS_COLOUR, 11.0),
        ] {
            if let Some(b) = Box5::of(values) {
                draw_box(&mut s, cx + dx, &b, colour, &y);
            }
        }
        let ly = TOP + PLOT_HEIGHT + 12.0;
        let _ = writeln!(
            s,
            r#"<text transform="translate({cx:.1},{ly:.1}) rotate(-50)" text-anchor="end">{}</text>"#,
            escape(&c.label)
        );
    }
    let _ = writeln!(
        s,
        r##"<rect x="{LEFT}" y="{TOP}" width="{:.1}" height="{PLOT_HEIGHT}" fill="none" stroke="#666"/>"##,
        width - LEFT - RIGHT
    );
    s.push_str("</svg>\n");
    Some(s)
}

fn draw_box(s: &mut String, x: f64, b: &Box5, colour: &str, y: &impl Fn(f64) -> f64) {
    let half = BOX_WIDTH / 2.0;
    let (top, bottom) = (y(b.p75), y(b.p25));
    let _ = writeln!(
        s,
        r#"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="{colour}"/>"#,
        y(b.p90),
        y(b.p10)
    );
    for w in [b.p10, b.p90] {
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{colour}"/>"#,
            x - half / 2.0,
            x + half / 2.0,
            y(w),
            y(w)
        );
    }
    let _ = writeln!(
        s,
        r#"<rect x="{:.1}" y="{top:.1}" width="{BOX_WIDTH}" height="{:.1}" fill="{colour}" fill-opacity="0.35" stroke="{colour}"/>"#,
        x - half,
        (bottom - top).max(1.0)
    );
    let _ = writeln!(
        s,
        r#"<line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2.5"/>"#,
        x - half,
        x + half,
        y(b.median),
        y(b.median)
    );
    let _ = writeln!(
        s,
        r#"<circle cx="{x:.1}" cy="{:.1}" r="2.5" fill="{colour}"/>"#,
        y(b.max)
    );
}

fn legend(s: &mut String) {
    let mut x = LEFT;
    for (label, colour) in [
        (
            "reference: Python, charms.reactive + charmhelpers",
            REFERENCE_COLOUR,
        ),
        ("ours: Rust, reactive-rs", OURS_COLOUR),
    ] {
        let _ = writeln!(
            s,
            r#"<rect x="{x:.1}" y="44" width="12" height="10" fill="{colour}" fill-opacity="0.35" stroke="{colour}"/><text x="{:.1}" y="53">{label}</text>"#,
            x + 18.0
        );
        x += 18.0 + 7.0 * label.len() as f64 + 24.0;
    }
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="74" fill="#555">box: quartiles; bar: median; whiskers: 10th to 90th percentile; dot: slowest</text>"##
    );
}

fn tick_label(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let digits = (-v.log10()).round() as usize;
        format!("{v:.digits$}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_and_escaping() {
        assert_eq!(tick_label(0.1), "0.1");
        assert_eq!(tick_label(0.01), "0.01");
        assert_eq!(tick_label(100.0), "100");
        assert_eq!(escape("a<b & c>"), "a&lt;b &amp; c&gt;");
    }
}
