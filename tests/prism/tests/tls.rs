//! HTTPS on loopback: the TxCloud client's own TLS stack (rustls with `ring`, the
//! system's trust store) completes a call to a server whose certificate the system
//! trusts, refuses one it does not, and a `reqwest` 0.13 client of the user's own,
//! passed in with `ClientBuilder::http_client`, is used as given.
//!
//! The "system" trust store is a CA made here: `SSL_CERT_FILE` points the platform
//! verifier at it (set once, before any client is built).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const SEED: &str = include_str!("../../support/seed_example.json");

/// A certificate authority and a certificate for 127.0.0.1 that it signed.
struct Pki {
    ca: CertificateDer<'static>,
    ca_pem: String,
    leaf: CertificateDer<'static>,
    leaf_key: Vec<u8>,
}

fn pki(name: &str) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("{name} test CA"));
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca)
        .expect("leaf certificate");
    Pki {
        ca: ca.der().clone(),
        ca_pem: ca.pem(),
        leaf: leaf.der().clone(),
        leaf_key: leaf_key.serialize_der(),
    }
}

/// The CA the "system" trusts; `SSL_CERT_FILE` names it before the first client.
fn trusted() -> &'static Pki {
    static TRUSTED: OnceLock<Pki> = OnceLock::new();
    TRUSTED.get_or_init(|| {
        let pki = pki("trusted");
        let dir = std::env::temp_dir().join(format!("txcloud-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("ca.pem");
        std::fs::write(&file, &pki.ca_pem).expect("write CA");
        std::env::set_var("SSL_CERT_FILE", &file);
        std::env::remove_var("SSL_CERT_DIR");
        pki
    })
}

/// An HTTPS server on 127.0.0.1 presenting `pki`'s certificate: it records each
/// request line and answers every request with the seed's example verification.
struct TlsServer {
    base_url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl TlsServer {
    fn start(pki: &Pki) -> TlsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.leaf_key.clone()));
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![pki.leaf.clone()], key)
            .expect("server certificate");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base_url = format!(
            "https://127.0.0.1:{}",
            listener.local_addr().expect("addr").port()
        );
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = Arc::clone(&config);
                let log = Arc::clone(&log);
                thread::spawn(move || {
                    let Ok(connection) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(connection, stream);
                    // A failed handshake (the client refused the certificate) ends here.
                    let Some(request_line) = read_request(&mut tls) else {
                        return;
                    };
                    log.lock().expect("log").push(request_line);
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{SEED}",
                        SEED.len()
                    );
                    let _ = tls.write_all(reply.as_bytes());
                    let _ = tls.flush();
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        TlsServer { base_url, seen }
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("log").clone()
    }
}

/// Reads one request (head and `content-length` body); returns its request line.
fn read_request(stream: &mut impl Read) -> Option<String> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(request_line.trim_end().to_string())
}

#[tokio::test]
async fn the_default_client_speaks_https_to_a_server_the_system_trusts() {
    let server = TlsServer::start(trusted());
    let client = txcloud::Client::builder()
        .base_url(&server.base_url)
        .bearer_auth("sk_test")
        .build()
        .expect("client builds");
    let verification = client
        .complete_session("ses_tls")
        .await
        .expect("the call succeeds over HTTPS");
    assert_eq!(verification.id, "ver_a1b2c3d4e5f6");
    assert_eq!(
        server.requests(),
        ["POST /identity/sessions/ses_tls/complete HTTP/1.1"]
    );
}

#[tokio::test]
async fn the_default_client_refuses_a_certificate_the_system_does_not_trust() {
    trusted();
    let stranger = pki("untrusted");
    let server = TlsServer::start(&stranger);
    let client = txcloud::Client::builder()
        .base_url(&server.base_url)
        .bearer_auth("sk_test")
        .max_retries(0)
        .build()
        .expect("client builds");
    let error = client
        .complete_session("ses_tls")
        .await
        .expect_err("an unknown issuer is refused");
    let chain = error_chain(&error);
    assert!(
        matches!(error, txcloud::Error::Transport(_)),
        "a transport error, got {chain}"
    );
    assert!(
        chain.to_lowercase().contains("certificate"),
        "the error says why: {chain}"
    );
    assert!(
        server.requests().is_empty(),
        "nothing was sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn a_reqwest_013_client_of_the_users_own_is_used_as_given() {
    trusted();
    // The user trusts only their own CA, through reqwest's own API.
    let own = pki("own");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(own.ca.clone()).expect("root");
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let http = txcloud::reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
        .expect("reqwest client");
    let server = TlsServer::start(&own);
    let client = txcloud::Client::builder()
        .base_url(&server.base_url)
        .bearer_auth("sk_test")
        .http_client(http)
        .build()
        .expect("client builds");
    let verification = client
        .complete_session("ses_own")
        .await
        .expect("the user's client reaches the server their CA signed for");
    assert_eq!(verification.id, "ver_a1b2c3d4e5f6");
    assert_eq!(server.requests().len(), 1);
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
