//! Values that hook tools take and return, typed.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Relation or leader settings: string keys to string values, as Juju keeps
/// them.
pub type Settings = BTreeMap<String, String>;

/// Applies `writes` over `target` as Juju applies `relation-set` and
/// `leader-set` arguments: an empty value deletes the key.
pub(crate) fn apply_writes(target: &mut Settings, writes: &Settings) {
    for (k, v) in writes {
        if v.is_empty() {
            target.remove(k);
        } else {
            target.insert(k.clone(), v.clone());
        }
    }
}

/// The relation settings Juju sets on every unit for reaching it, the most
/// reachable first: `ingress-address` (across spaces and models), then
/// `private-address` (`worker/uniter/runner/context/relationunit.go`).
const ADDRESS_KEYS: [&str; 2] = ["ingress-address", "private-address"];

/// The address a unit published in `settings` to be reached at, and the
/// key it was under: `ingress-address` (reachable across spaces and
/// models), else `private-address`, skipping empty values; `None` when it
/// published neither. Untrusted text: validate it before use.
///
/// ```
/// use reactive_core::hookenv::{published_address, Settings};
///
/// let s = Settings::from([
///     ("private-address".to_string(), "10.0.0.1".to_string()),
///     ("ingress-address".to_string(), "192.0.2.7".to_string()),
/// ]);
/// assert_eq!(published_address(&s), Some(("ingress-address", "192.0.2.7")));
/// ```
#[must_use]
pub fn published_address(settings: &Settings) -> Option<(&'static str, &str)> {
    ADDRESS_KEYS
        .iter()
        .filter_map(|k| Some((*k, settings.get(*k)?.as_str())))
        .find(|(_, a)| !a.is_empty())
}

/// A workload status a charm sets with `status-set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadState {
    /// Work in progress.
    Maintenance,
    /// Needs an operator.
    Blocked,
    /// Waiting for something outside the unit.
    Waiting,
    /// Ready.
    Active,
}

impl WorkloadState {
    /// The name `status-set` takes.
    #[must_use]
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            WorkloadState::Maintenance => "maintenance",
            WorkloadState::Blocked => "blocked",
            WorkloadState::Waiting => "waiting",
            WorkloadState::Active => "active",
        }
    }
}

impl fmt::Display for WorkloadState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WorkloadState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "maintenance" => Ok(WorkloadState::Maintenance),
            "blocked" => Ok(WorkloadState::Blocked),
            "waiting" => Ok(WorkloadState::Waiting),
            "active" => Ok(WorkloadState::Active),
            other => Err(format!(
                "unknown workload status {other:?} (expected maintenance, blocked, waiting or active)"
            )),
        }
    }
}

/// What `status-get --format=json --include-data` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusInfo {
    /// `maintenance`, `blocked`, `waiting`, `active`, or what Juju set
    /// itself (`unknown`, `error`).
    #[serde(default)]
    pub status: String,
    /// The message.
    #[serde(default)]
    pub message: String,
}

/// What `status-get --format=json --include-data --application` reports
/// on the leader: `{"application-status": {"status", "message",
/// "status-data", "units": {"app/0": {...}}}}`
/// (`worker/uniter/runner/jujuc/status-get.go`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationStatus {
    /// The application's own status.
    #[serde(flatten)]
    pub application: StatusInfo,
    /// The status of each unit, by unit name.
    #[serde(default)]
    pub units: BTreeMap<String, StatusInfo>,
}

/// A protocol for `open-port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP: no port number (`open-port icmp`).
    Icmp,
}

/// A port, a port range or ICMP, as `open-port` takes them and
/// `opened-ports` lists them: `9092/tcp`, `8000-8100/udp`, `icmp`
/// (`worker/uniter/runner/jujuc/ports.go`, Juju's `network.PortRange`).
///
/// ```
/// use reactive_core::hookenv::Port;
/// let p: Port = "8000-8100/udp".parse().unwrap();
/// assert_eq!((p.number, p.to), (8000, 8100));
/// assert_eq!(Port::tcp(9092).to_string(), "9092/tcp");
/// assert_eq!(Port::icmp().to_string(), "icmp");
/// assert!("0/tcp".parse::<Port>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Port {
    /// The port number, or the first of a range (0 for ICMP).
    pub number: u16,
    /// The last port of a range; equal to `number` for a single port.
    #[serde(default)]
    pub to: u16,
    /// The protocol.
    pub protocol: Protocol,
}

impl Port {
    /// A TCP port.
    #[must_use]
    pub fn tcp(number: u16) -> Port {
        Port {
            number,
            to: number,
            protocol: Protocol::Tcp,
        }
    }

    /// A UDP port.
    #[must_use]
    pub fn udp(number: u16) -> Port {
        Port {
            number,
            to: number,
            protocol: Protocol::Udp,
        }
    }

    /// ICMP (`open-port icmp`).
    #[must_use]
    pub fn icmp() -> Port {
        Port {
            number: 0,
            to: 0,
            protocol: Protocol::Icmp,
        }
    }

    /// The ports `from` to `to` of `protocol`, validated as Juju validates
    /// them (1-65535, `from <= to`; ICMP takes no range).
    pub fn range(from: u16, to: u16, protocol: Protocol) -> Result<Port, String> {
        let p = Port {
            number: from,
            to,
            protocol,
        };
        p.validate()?;
        Ok(p)
    }

    /// Whether Juju would take this port: ICMP without numbers, else
    /// numbers in 1-65535 with `number <= to` (Juju's
    /// `PortRange.Validate`).
    pub(crate) fn validate(&self) -> Result<(), String> {
        match self.protocol {
            Protocol::Icmp if self.number == 0 && self.to == 0 => Ok(()),
            Protocol::Icmp => Err(format!("invalid port {self:?}: icmp takes no port number")),
            _ if self.number == 0 || self.to == 0 => Err(format!(
                "invalid port {}: port numbers must be between 1 and 65535",
                self.numbers()
            )),
            _ if self.number > self.to => Err(format!(
                "invalid port range {}: the first port is after the last",
                self.numbers()
            )),
            _ => Ok(()),
        }
    }

    fn numbers(&self) -> String {
        if self.number == self.to {
            self.number.to_string()
        } else {
            format!("{}-{}", self.number, self.to)
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => return f.write_str("icmp"),
        };
        write!(f, "{}/{p}", self.numbers())
    }
}

impl FromStr for Port {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("icmp") {
            return Ok(Port::icmp());
        }
        let (n, p) = s.split_once('/').unwrap_or((s, "tcp"));
        let protocol = match p.to_ascii_lowercase().as_str() {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            _ => {
                return Err(format!(
                    "invalid port {s:?}: protocol must be tcp, udp or icmp"
                ))
            }
        };
        let number = |t: &str| {
            t.parse::<u16>()
                .map_err(|_| format!("invalid port {s:?}: {t:?} is not a port number"))
        };
        let (from, to) = match n.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(n)?, number(n)?),
        };
        Port::range(from, to, protocol)
    }
}

/// The level of a `juju-log` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LogLevel {
    /// `DEBUG`.
    Debug,
    /// `INFO`.
    Info,
    /// `WARNING`.
    Warning,
    /// `ERROR`.
    Error,
}

impl LogLevel {
    /// The name `juju-log -l` takes.
    #[must_use]
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "DEBUG",
            LogLevel::Info => "INFO",
            LogLevel::Warning => "WARNING",
            LogLevel::Error => "ERROR",
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One address of a bound interface, from `network-get`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InterfaceAddress {
    /// The address (`10.0.0.5`).
    #[serde(default, alias = "value")]
    pub address: String,
    /// Its subnet in CIDR form.
    #[serde(default)]
    pub cidr: String,
    /// A hostname, if Juju knows one.
    #[serde(default)]
    pub hostname: String,
}

/// One network interface of a binding, from `network-get`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BindAddress {
    /// The interface's MAC address.
    #[serde(default)]
    pub mac_address: String,
    /// The interface's name (`eth0`).
    #[serde(default)]
    pub interface_name: String,
    /// Its addresses.
    #[serde(default)]
    pub addresses: Vec<InterfaceAddress>,
}

/// What `network-get --format=json <binding>` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NetworkInfo {
    /// The interfaces the binding is bound to.
    #[serde(default)]
    pub bind_addresses: Vec<BindAddress>,
    /// Subnets outgoing traffic comes from.
    #[serde(default)]
    pub egress_subnets: Vec<String>,
    /// Addresses other units should use to reach this one.
    #[serde(default)]
    pub ingress_addresses: Vec<String>,
}

impl NetworkInfo {
    /// The first ingress address, else the first bound address.
    pub fn ingress_address(&self) -> Option<&str> {
        self.ingress_addresses
            .first()
            .map(String::as_str)
            .or_else(|| {
                self.bind_addresses
                    .iter()
                    .flat_map(|b| &b.addresses)
                    .map(|a| a.address.as_str())
                    .find(|a| !a.is_empty())
            })
    }
}
