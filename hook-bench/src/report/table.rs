//! Markdown tables and the number formats of the report.

/// A Markdown table, columns padded so the source reads as a table too.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells are empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The Markdown text, ending with a newline. Columns of numbers (every
    /// cell starts with a digit or is `—`) are right-aligned, others left.
    pub fn render(&self) -> String {
        let cols = self.header.len();
        let cell = |row: &Vec<String>, i: usize| row.get(i).cloned().unwrap_or_default();
        let numeric: Vec<bool> = (0..cols)
            .map(|i| {
                self.rows.iter().map(|r| cell(r, i)).all(|c| {
                    c.is_empty() || c == "—" || c.starts_with(|ch: char| ch.is_ascii_digit())
                })
            })
            .collect();
        let widths: Vec<usize> = (0..cols)
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| cell(r, i).chars().count())
                    .chain([self.header[i].chars().count(), 3])
                    .max()
                    .unwrap_or(3)
            })
            .collect();
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if numeric[i] {
                        format!("{c:>w$}", w = widths[i])
                    } else {
                        format!("{c:<w$}", w = widths[i])
                    }
                })
                .collect();
            format!("| {} |\n", padded.join(" | "))
        };
        let mut out = line(self.header.clone());
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if numeric[i] {
                    format!("{}:", "-".repeat(w - 1))
                } else {
                    "-".repeat(*w)
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for row in &self.rows {
            out.push_str(&line((0..cols).map(|i| cell(row, i)).collect()));
        }
        out
    }
}

/// Milliseconds with the precision that matters at that size.
pub fn ms(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0} ms")
    } else if x >= 10.0 {
        format!("{x:.1} ms")
    } else {
        format!("{x:.2} ms")
    }
}

/// An optional value in milliseconds, `—` when absent.
pub fn ms_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), ms)
}

/// A ratio: `123x`, `4.5x`, `0.82x`.
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        "—".into()
    } else if x >= 100.0 {
        format!("{x:.0}x")
    } else if x >= 1.0 {
        format!("{x:.1}x")
    } else {
        format!("{x:.2}x")
    }
}

/// A count that may be fractional (a mean over runs).
pub fn count(x: f64) -> String {
    if (x - x.round()).abs() < 0.005 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.2}")
    }
}

/// Mebibytes.
pub fn mib(x: f64) -> String {
    format!("{x:.1} MiB")
}

/// Seconds.
pub fn secs(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.1} s")
    } else {
        format!("{x:.2} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_padded_and_numbers_right_aligned() {
        let mut t = Table::new(&["hook", "ms", "side"]);
        t.row(vec!["install".into(), "1.5".into(), "ours".into()]);
        t.row(vec!["start".into()]);
        assert_eq!(
            t.render(),
            "| hook    |  ms | side |\n| ------- | --: | ---- |\n\
             | install | 1.5 | ours |\n| start   |     |      |\n"
        );
    }

    #[test]
    fn numbers_keep_their_significant_digits() {
        assert_eq!(ms(250.4), "250 ms");
        assert_eq!(ms(12.34), "12.3 ms");
        assert_eq!(ms(1.234), "1.23 ms");
        assert_eq!(ratio(123.4), "123x");
        assert_eq!(ratio(4.56), "4.6x");
        assert_eq!(ratio(0.824), "0.82x");
        assert_eq!(count(3.0), "3");
        assert_eq!(count(2.5), "2.50");
    }
}
