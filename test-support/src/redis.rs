//! The Redis the tests run against: `REDIS_URL`, checked with a `PING` over plain TCP, so
//! that the helper needs no Redis client of its own.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Whether this is a CI run (`CI=true`), where a test that needs Redis must not skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `REDIS_URL` if a Redis answers there; otherwise `None` after printing that the test was
/// skipped. Under `CI=true` a missing or silent Redis fails the test instead.
pub fn redis_url() -> Option<String> {
    let Some(url) = std::env::var("REDIS_URL").ok().filter(|u| !u.is_empty()) else {
        assert!(!in_ci(), "CI=true but REDIS_URL is not set");
        eprintln!("skipped: REDIS_URL is not set");
        return None;
    };
    if answers_ping(&url, Duration::from_secs(5)) {
        return Some(url);
    }
    assert!(!in_ci(), "CI=true but Redis at {url} does not answer");
    eprintln!("skipped: Redis at {url} does not answer");
    None
}

/// Whether the Redis at `url` (`redis://[user:password@]host[:port][/db]`) answers `PING`
/// with `+PONG` within `timeout`. A server that wants a password answers an error: `false`.
pub fn answers_ping(url: &str, timeout: Duration) -> bool {
    let Some(rest) = url.strip_prefix("redis://") else {
        return false;
    };
    let host_port = rest.split('/').next().unwrap_or_default();
    let host_port = host_port.rsplit('@').next().unwrap_or_default();
    let address = if host_port
        .rsplit(':')
        .next()
        .is_some_and(|p| p.parse::<u16>().is_ok())
        && host_port.contains(':')
    {
        host_port.to_owned()
    } else {
        format!("{host_port}:6379")
    };
    let Some(socket) = address.to_socket_addrs().ok().and_then(|mut a| a.next()) else {
        return false;
    };
    let ping = || -> std::io::Result<bool> {
        let mut stream = TcpStream::connect_timeout(&socket, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.write_all(b"PING\r\n")?;
        let mut reply = [0u8; 7];
        stream.read_exact(&mut reply)?;
        Ok(&reply == b"+PONG\r\n")
    };
    ping().unwrap_or(false)
}

/// A key prefix no other test or run shares: `test:<name>:<process id>:<nanoseconds>`.
pub fn unique_prefix(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("test:{name}:{}:{nanos:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_port_or_a_bad_url_does_not_answer() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let quick = Duration::from_millis(500);
        assert!(!answers_ping(&format!("redis://127.0.0.1:{port}/"), quick));
        assert!(!answers_ping("http://127.0.0.1:6379/", quick));
        assert!(!answers_ping("redis://", quick));
    }

    #[test]
    fn a_server_that_says_pong_answers() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 6];
            stream.read_exact(&mut request).unwrap();
            assert_eq!(&request, b"PING\r\n");
            stream.write_all(b"+PONG\r\n").unwrap();
        });
        let url = format!("redis://user:secret@127.0.0.1:{port}/0");
        assert!(answers_ping(&url, Duration::from_secs(5)));
        server.join().unwrap();
        assert!(unique_prefix("a") != unique_prefix("a"));
    }
}
