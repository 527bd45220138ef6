//! The client's IP address, for per-client limits. `X-Forwarded-For` is believed only from
//! the configured `trusted_proxies` (anyone else could write any address into it).
use actix_web::HttpRequest;
use std::net::IpAddr;

/// The peer's address, or, when the peer is a trusted proxy, the rightmost forwarded
/// address that is not a trusted proxy itself (the left part of the header is whatever the
/// client sent). An entry that does not parse ends the walk at the last trusted hop: the
/// client must not be able to make its own entry count by spoiling the proxy's. IPv6
/// addresses count by their /64 (one subscriber usually holds a whole /64).
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return String::new();
    };
    let mut client = peer;
    if trusted.contains(&peer) {
        let values: Vec<&str> = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect();
        for entry in values.iter().flat_map(|v| v.split(',')).map(str::trim).rev() {
            match entry.parse::<IpAddr>() {
                Ok(ip) if trusted.contains(&ip) => client = ip,
                Ok(ip) => {
                    client = ip;
                    break;
                }
                Err(_) => break,
            }
        }
    }
    bucket(client)
}

fn bucket(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let peer: std::net::SocketAddr = "10.0.0.2:4000".parse().unwrap();
        let req = TestRequest::default().peer_addr(peer).insert_header(("x-forwarded-for", "6.6.6.6, 203.0.113.9")).to_http_request();
        assert_eq!(client_ip(&req, &[]), "10.0.0.2", "an untrusted peer cannot claim another address");
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(client_ip(&req, &[proxy]), "203.0.113.9", "the address the proxy saw, not what the client wrote");
        let bare = TestRequest::default().peer_addr(peer).to_http_request();
        assert_eq!(client_ip(&bare, &[proxy]), "10.0.0.2");
        // A spoiled entry from the proxy does not let the client's own entry through.
        let spoiled = TestRequest::default().peer_addr(peer).insert_header(("x-forwarded-for", "6.6.6.6, 203.0.113.9:4711")).to_http_request();
        assert_eq!(client_ip(&spoiled, &[proxy]), "10.0.0.2");
        let v6: std::net::SocketAddr = "[2001:db8:1:2:3:4:5:6]:443".parse().unwrap();
        let req = TestRequest::default().peer_addr(v6).to_http_request();
        assert_eq!(client_ip(&req, &[]), "2001:db8:1:2::/64");
    }
}
