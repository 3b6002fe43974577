//! Broker addresses as remote units publish them (`private-address`,
//! `ingress-address`): untrusted text that ends up in a client's
//! configuration (`bootstrap.servers=host:port,...`), so only an IPv4
//! address, an IPv6 address or a DNS hostname is accepted. Anything with
//! whitespace, a line break, a comma, `=` or `/` could add a property or a
//! broker there.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The longest DNS name (RFC 1035), without a trailing dot.
const MAX_HOSTNAME: usize = 253;
/// The longest DNS label.
const MAX_LABEL: usize = 63;

/// Why a published address is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address: {reason}")]
pub struct InvalidAddress {
    /// What is wrong with it.
    pub reason: AddressProblem,
}

/// What is wrong with an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressProblem {
    /// The value is empty.
    Empty,
    /// It holds a character no address has: whitespace, a control
    /// character (a line break), `,`, `=`, `/`, or anything outside ASCII.
    ForbiddenCharacter(char),
    /// Neither an IP address nor a DNS hostname (bad label, too long, a
    /// numeric last label that is not an IPv4 address, ...).
    NotAnAddress,
}

impl fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressProblem::Empty => f.write_str("empty"),
            AddressProblem::ForbiddenCharacter(c) => {
                write!(f, "it contains {c:?}, which no address has")
            }
            AddressProblem::NotAnAddress => {
                f.write_str("neither an IPv4 or IPv6 address nor a DNS hostname")
            }
        }
    }
}

/// Checks an address as published in relation settings: an IPv4 address
/// (`10.0.0.1`), an IPv6 address without brackets (`2001:db8::1`), or a DNS
/// hostname (`kafka-0.example.com`: labels of letters, digits and inner
/// hyphens, up to 63 characters each and 253 in all).
///
/// ```
/// use kafka_iface::parse_address;
/// assert!(parse_address("10.0.0.1").is_ok());
/// assert!(parse_address("2001:db8::1").is_ok());
/// assert!(parse_address("kafka-0.example.com").is_ok());
/// assert!(parse_address("10.0.0.1\nssl.truststore.location=/tmp/evil").is_err());
/// assert!(parse_address("evil.example:1,10.0.0.1").is_err());
/// ```
pub fn parse_address(value: &str) -> Result<&str, InvalidAddress> {
    let fail = |reason| Err(InvalidAddress { reason });
    if value.is_empty() {
        return fail(AddressProblem::Empty);
    }
    if let Some(c) = value
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, ',' | '=' | '/'))
    {
        return fail(AddressProblem::ForbiddenCharacter(c));
    }
    if value.parse::<Ipv4Addr>().is_ok() || value.parse::<Ipv6Addr>().is_ok() {
        return Ok(value);
    }
    if is_hostname(value) {
        Ok(value)
    } else {
        fail(AddressProblem::NotAnAddress)
    }
}

/// RFC 1123 hostnames; a last label of digits only is a malformed IPv4
/// address, not a name.
fn is_hostname(name: &str) -> bool {
    let label_ok = |l: &str| {
        (1..=MAX_LABEL).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    name.len() <= MAX_HOSTNAME
        && name.split('.').all(label_ok)
        && name
            .rsplit('.')
            .next()
            .is_some_and(|last| !last.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(v: &str) -> AddressProblem {
        parse_address(v).unwrap_err().reason
    }

    #[test]
    fn accepts_ip_addresses_and_hostnames() {
        for ok in [
            "10.0.0.1",
            "255.255.255.255",
            "::1",
            "2001:db8::1",
            "fe80::1:2:3:4",
            "::ffff:10.0.0.1",
            "localhost",
            "kafka-0.kafka-endpoints.model.svc.cluster.local",
            "k",
            "0x1.example",
            &format!("{}.com", "a".repeat(63)),
        ] {
            assert_eq!(parse_address(ok), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn refuses_what_could_inject_a_property_or_a_broker() {
        use AddressProblem::ForbiddenCharacter as Char;
        assert_eq!(
            problem("10.0.0.1\nssl.truststore.location=/tmp/evil"),
            Char('\n')
        );
        assert_eq!(problem("10.0.0.1\r"), Char('\r'));
        assert_eq!(problem("evil.example:1,10.0.0.1"), Char(','));
        assert_eq!(problem("a=b"), Char('='));
        assert_eq!(problem("10.0.0.1/24"), Char('/'));
        assert_eq!(problem("10.0.0.1 "), Char(' '));
        assert_eq!(problem("\t10.0.0.1"), Char('\t'));
        assert_eq!(problem("10.0.0.1\0"), Char('\0'));
        assert_eq!(problem("kafka\u{7f}"), Char('\u{7f}'));
        assert_eq!(problem("kafka.exämple"), Char('ä'));
        assert_eq!(problem(""), AddressProblem::Empty);
    }

    #[test]
    fn refuses_what_is_no_address() {
        for bad in [
            "10.0.0.256",
            "10.0.0",
            "1.2.3.4.5",
            "999",
            "[::1]",
            "2001:db8::1%eth0",
            "::1:9092:x",
            "-kafka",
            "kafka-",
            "kafka..example",
            ".kafka",
            "kafka.",
            "under_score",
            "host:9092",
            &format!("{}.com", "a".repeat(64)),
            // 254 characters of valid labels: one over the limit.
            &format!("{}bc", "a.".repeat(126)),
        ] {
            assert_eq!(problem(bad), AddressProblem::NotAnAddress, "{bad}");
        }
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(
            parse_address("a,b").unwrap_err().to_string(),
            "invalid address: it contains ',', which no address has"
        );
        assert_eq!(
            parse_address("10.0.0.256").unwrap_err().to_string(),
            "invalid address: neither an IPv4 or IPv6 address nor a DNS hostname"
        );
    }
}
