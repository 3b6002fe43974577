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
    pub fn as_str(self) -> &'static str {
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

/// A transport protocol for `open-port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

/// A port and protocol: `9092/tcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Port {
    /// The port number.
    pub number: u16,
    /// The protocol.
    pub protocol: Protocol,
}

impl Port {
    /// A TCP port.
    #[must_use]
    pub fn tcp(number: u16) -> Port {
        Port {
            number,
            protocol: Protocol::Tcp,
        }
    }

    /// A UDP port.
    #[must_use]
    pub fn udp(number: u16) -> Port {
        Port {
            number,
            protocol: Protocol::Udp,
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        };
        write!(f, "{}/{p}", self.number)
    }
}

impl FromStr for Port {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (n, p) = s.split_once('/').unwrap_or((s, "tcp"));
        let number = n
            .parse()
            .map_err(|_| format!("invalid port {s:?}: {n:?} is not a port number"))?;
        let protocol = match p.to_ascii_lowercase().as_str() {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            _ => return Err(format!("invalid port {s:?}: protocol must be tcp or udp")),
        };
        Ok(Port { number, protocol })
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
    pub fn as_str(self) -> &'static str {
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
