//! Healthie's published source addresses, as an optional allow-list.

use std::net::{IpAddr, Ipv4Addr};

/// Healthie's published source addresses for webhook deliveries.
pub const PRODUCTION_IPS: [Ipv4Addr; 4] = [
    Ipv4Addr::new(52, 4, 158, 130),
    Ipv4Addr::new(3, 216, 152, 234),
    Ipv4Addr::new(54, 243, 233, 84),
    Ipv4Addr::new(50, 19, 211, 21),
];

/// Healthie's staging source addresses (the last one per the newer docs).
pub const STAGING_IPS: [Ipv4Addr; 3] = [
    Ipv4Addr::new(18, 206, 70, 225),
    Ipv4Addr::new(44, 195, 8, 253),
    Ipv4Addr::new(44, 198, 216, 125),
];

/// A source-IP allow-list for Healthie deliveries. Defence in depth only: addresses
/// change and proxies hide them, so never use it instead of signature verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpAllowList {
    pub(super) ips: Vec<IpAddr>,
}

impl IpAllowList {
    /// The production addresses.
    pub fn production() -> Self {
        IpAllowList {
            ips: PRODUCTION_IPS.iter().copied().map(IpAddr::V4).collect(),
        }
    }

    /// The staging addresses.
    pub fn staging() -> Self {
        IpAllowList {
            ips: STAGING_IPS.iter().copied().map(IpAddr::V4).collect(),
        }
    }

    /// Production and staging.
    pub fn all() -> Self {
        let mut list = Self::production();
        list.ips.extend(STAGING_IPS.iter().copied().map(IpAddr::V4));
        list
    }

    /// Add an address (for example a new one announced by Healthie).
    pub fn with(mut self, ip: IpAddr) -> Self {
        self.ips.push(ip.to_canonical());
        self
    }

    /// True if `ip` (IPv4 or IPv4-mapped IPv6) is on the list.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.ips.contains(&ip.to_canonical())
    }
}
