//! Which addresses the server may connect to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is a globally reachable unicast address that the server may fetch from.
///
/// Refused (non-exhaustively): unspecified, loopback, private (RFC 1918), CGNAT
/// (100.64.0.0/10), link-local (169.254.0.0/16 — cloud metadata — and fe80::/10), multicast,
/// broadcast and reserved (240.0.0.0/4), 0.0.0.0/8, documentation and benchmarking ranges,
/// IETF protocol assignments, unique local fc00::/7, site-local, and everything outside the
/// global unicast 2000::/3. Addresses that embed an IPv4 address (IPv4-mapped, NAT64
/// 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded address.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let blocked = match (a, b, c) {
        // "This network", 0.0.0.0/8 (includes the unspecified address).
        (0, _, _) => true,
        // Private, RFC 1918.
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => true,
        // Shared address space (CGNAT), 100.64.0.0/10.
        (100, 64..=127, _) => true,
        // Loopback.
        (127, _, _) => true,
        // Link-local, including the cloud metadata endpoint 169.254.169.254.
        (169, 254, _) => true,
        // IETF protocol assignments, 192.0.0.0/24.
        (192, 0, 0) => true,
        // Documentation: TEST-NET-1, -2, -3.
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => true,
        // Deprecated 6to4 relay anycast, 192.88.99.0/24.
        (192, 88, 99) => true,
        // Benchmarking, 198.18.0.0/15.
        (198, 18..=19, _) => true,
        // Multicast 224.0.0.0/4, reserved 240.0.0.0/4 and broadcast.
        (224..=255, _, _) => true,
        _ => false,
    };
    !blocked
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let [s0, s1, s2, s3, s4, s5, s6, s7] = ip.segments();
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if s0 == 0x64 && s1 == 0xff9b && s2 == 0 && s3 == 0 && s4 == 0 && s5 == 0 {
        return is_public_v4(v4_from_segments(s6, s7));
    }
    // Only global unicast (2000::/3) can be public. This leaves out ::/8 (unspecified,
    // loopback, IPv4-compatible), 64:ff9b:1::/48, 100::/64, fc00::/7, fe80::/10, fec0::/10,
    // ff00::/8 and the unassigned rest.
    if s0 & 0xe000 != 0x2000 {
        return false;
    }
    match s0 {
        // IETF protocol assignments 2001::/23: Teredo, benchmarking, ORCHID…
        0x2001 if s1 < 0x0200 => false,
        // Documentation 2001:db8::/32.
        0x2001 if s1 == 0x0db8 => false,
        // 6to4 2002::/16 reaches the IPv4 address in the next 32 bits.
        0x2002 => is_public_v4(v4_from_segments(s1, s2)),
        // Documentation 3fff::/20.
        0x3fff if s1 < 0x1000 => false,
        _ => true,
    }
}

fn v4_from_segments(high: u16, low: u16) -> Ipv4Addr {
    Ipv4Addr::from((u32::from(high) << 16) | u32::from(low))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_ip_table() {
        let table: &[(&str, bool)] = &[
            // IPv4, refused.
            ("0.0.0.0", false),
            ("0.1.2.3", false),
            ("10.0.0.1", false),
            ("10.255.255.255", false),
            ("100.64.0.1", false),
            ("100.127.255.254", false),
            ("127.0.0.1", false),
            ("127.255.0.9", false),
            ("169.254.169.254", false),
            ("169.254.0.1", false),
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("192.0.0.8", false),
            ("192.0.2.1", false),
            ("192.88.99.1", false),
            ("192.168.1.1", false),
            ("198.18.0.1", false),
            ("198.19.255.255", false),
            ("198.51.100.7", false),
            ("203.0.113.9", false),
            ("224.0.0.1", false),
            ("239.255.255.250", false),
            ("240.0.0.1", false),
            ("255.255.255.255", false),
            // IPv4, public (including the neighbours of refused ranges).
            ("8.8.8.8", true),
            ("1.1.1.1", true),
            ("100.63.255.255", true),
            ("100.128.0.1", true),
            ("172.15.255.255", true),
            ("172.32.0.1", true),
            ("169.253.1.1", true),
            ("192.0.3.1", true),
            ("198.17.255.255", true),
            ("198.20.0.1", true),
            ("223.255.255.255", true),
            // IPv6, refused.
            ("::", false),
            ("::1", false),
            ("::ffff:127.0.0.1", false),
            ("::ffff:10.0.0.1", false),
            ("::ffff:169.254.169.254", false),
            ("::127.0.0.1", false),
            ("64:ff9b::7f00:1", false),
            ("64:ff9b::a9fe:a9fe", false),
            ("64:ff9b:1::1", false),
            ("100::1", false),
            ("fe80::1", false),
            ("febf::1", false),
            ("fec0::1", false),
            ("fc00::1", false),
            ("fd12:3456:789a::1", false),
            ("ff02::1", false),
            ("2001::1", false),
            ("2001:2::1", false),
            ("2001:db8::1", false),
            ("2002:7f00:1::1", false),
            ("2002:c0a8:101::1", false),
            ("3fff::1", false),
            ("4000::1", false),
            // IPv6, public.
            ("2001:4860:4860::8888", true),
            ("2606:4700:4700::1111", true),
            ("2a00:1450:4001::1", true),
            ("::ffff:8.8.8.8", true),
            ("64:ff9b::808:808", true),
            ("2002:808:808::1", true),
            ("3fff:1000::1", true),
        ];
        for (text, public) in table {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(is_public_ip(ip), *public, "{text}");
        }
    }
}
