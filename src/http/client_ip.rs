//! The client's IP address, for per-client limits. `X-Forwarded-For` is believed only from
//! the configured `trusted_proxies` (anyone else could write any address into it).
use actix_web::HttpRequest;
use std::net::IpAddr;

/// The peer's address, or, when the peer is a trusted proxy, the rightmost forwarded
/// address that is not a trusted proxy itself (the left part of the header is whatever the
/// client sent).
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let Some(peer) = peer else {
        return String::new();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim);
    let chain: Vec<IpAddr> = forwarded.filter_map(|a| a.parse().ok()).collect();
    chain.into_iter().rev().find(|a| !trusted.contains(a)).unwrap_or(peer).to_string()
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
    }
}
