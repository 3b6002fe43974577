//! Ports as `open-port` takes them: `80`, `80/udp`, `8000-8080/tcp`, `icmp`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The protocol of an opened port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// TCP (the default when none is given).
    Tcp,
    /// UDP.
    Udp,
    /// ICMP (no port number).
    Icmp,
}

/// An opened port or port range. Ordered by number, then protocol, so
/// `opened-ports` lists `80/tcp` before `443/tcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Port {
    /// First port of the range (0 for ICMP).
    pub from: u16,
    /// Last port of the range (equal to `from` for a single port).
    pub to: u16,
    /// The protocol.
    pub protocol: Protocol,
}

/// A port specification that `open-port` would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid port {spec:?}: {reason}")]
pub struct PortError {
    /// The text given.
    pub spec: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for Port {
    type Err = PortError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let err = |reason| PortError {
            spec: spec.to_string(),
            reason,
        };
        if spec.eq_ignore_ascii_case("icmp") {
            return Ok(Port {
                from: 0,
                to: 0,
                protocol: Protocol::Icmp,
            });
        }
        let (range, protocol) = match spec.split_once('/') {
            None => (spec, Protocol::Tcp),
            Some((range, proto)) => match proto.to_ascii_lowercase().as_str() {
                "tcp" => (range, Protocol::Tcp),
                "udp" => (range, Protocol::Udp),
                _ => return Err(err("protocol must be tcp, udp or icmp")),
            },
        };
        let number = |s: &str| match s.parse::<u16>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(err("port numbers must be between 1 and 65535")),
        };
        let (from, to) = match range.split_once('-') {
            None => (number(range)?, number(range)?),
            Some((a, b)) => (number(a)?, number(b)?),
        };
        if from > to {
            return Err(err("range start is after its end"));
        }
        Ok(Port { from, to, protocol })
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proto = match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => return f.write_str("icmp"),
        };
        if self.from == self.to {
            write!(f, "{}/{proto}", self.from)
        } else {
            write!(f, "{}-{}/{proto}", self.from, self.to)
        }
    }
}

impl Serialize for Port {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Port {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_juju_forms() {
        for (input, shown) in [
            ("80", "80/tcp"),
            ("53/UDP", "53/udp"),
            ("8000-8080/tcp", "8000-8080/tcp"),
            ("ICMP", "icmp"),
        ] {
            assert_eq!(input.parse::<Port>().unwrap().to_string(), shown);
        }
        for bad in ["0", "80/sctp", "90-80", "x", "70000"] {
            assert!(bad.parse::<Port>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn orders_by_number() {
        let mut ports: Vec<Port> = ["443", "80", "80/udp"]
            .iter()
            .map(|p| p.parse().unwrap())
            .collect();
        ports.sort();
        let shown: Vec<String> = ports.iter().map(Port::to_string).collect();
        assert_eq!(shown, ["80/tcp", "80/udp", "443/tcp"]);
    }
}
