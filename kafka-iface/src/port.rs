//! TCP ports as the interface exchanges them: decimal text in relation
//! settings, valid in `1..=65535`.

use std::fmt;

/// Why a published port is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid port {}: {reason}", reactive_core::quote(value))]
pub struct InvalidPort {
    /// The value as published (the message quotes at most
    /// [`QUOTE_LIMIT`](crate::QUOTE_LIMIT) bytes of it).
    pub value: String,
    /// What is wrong with it.
    pub reason: PortProblem,
}

/// What is wrong with a port value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortProblem {
    /// The value is empty.
    Empty,
    /// The value is not a decimal number.
    NotANumber,
    /// The value is a number outside `1..=65535`.
    OutOfRange,
}

impl fmt::Display for PortProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PortProblem::Empty => "empty",
            PortProblem::NotANumber => "not a decimal number",
            PortProblem::OutOfRange => "outside 1-65535",
        })
    }
}

/// Parses a port as published in relation settings: decimal digits only
/// (no sign, no blanks), in `1..=65535`.
///
/// ```
/// use kafka_iface::parse_port;
/// assert_eq!(parse_port("9092"), Ok(9092));
/// assert!(parse_port("abc").is_err());
/// assert!(parse_port("0").is_err());
/// assert!(parse_port("70000").is_err());
/// assert!(parse_port("").is_err());
/// ```
pub fn parse_port(value: &str) -> Result<u16, InvalidPort> {
    let fail = |reason| InvalidPort {
        value: value.to_string(),
        reason,
    };
    if value.is_empty() {
        return Err(fail(PortProblem::Empty));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail(PortProblem::NotANumber));
    }
    // All digits: the only parse failure left is overflow.
    match value.parse::<u32>() {
        Ok(n @ 1..=65535) => Ok(n as u16),
        _ => Err(fail(PortProblem::OutOfRange)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_whole_range() {
        assert_eq!(parse_port("1"), Ok(1));
        assert_eq!(parse_port("65535"), Ok(65535));
        assert_eq!(parse_port("09092"), Ok(9092));
    }

    #[test]
    fn names_what_is_wrong() {
        let problem = |v| parse_port(v).unwrap_err().reason;
        assert_eq!(problem(""), PortProblem::Empty);
        assert_eq!(problem("abc"), PortProblem::NotANumber);
        assert_eq!(problem(" 9092"), PortProblem::NotANumber);
        assert_eq!(problem("+9092"), PortProblem::NotANumber);
        assert_eq!(problem("-1"), PortProblem::NotANumber);
        assert_eq!(problem("0"), PortProblem::OutOfRange);
        assert_eq!(problem("65536"), PortProblem::OutOfRange);
        assert_eq!(problem("70000"), PortProblem::OutOfRange);
        assert_eq!(problem("99999999999999999999"), PortProblem::OutOfRange);
        assert_eq!(
            parse_port("abc").unwrap_err().to_string(),
            "invalid port \"abc\": not a decimal number"
        );
    }
}
