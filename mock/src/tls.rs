//! HTTPS with a certificate generated at start, for testing clients' TLS paths.

use std::net::IpAddr;
use std::sync::Arc;

use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// An acceptor with a self-signed certificate for `localhost`, 127.0.0.1, ::1 and `host`;
/// and the certificate as PEM for clients to trust.
pub fn self_signed(host: IpAddr) -> std::io::Result<(TlsAcceptor, String)> {
    let io = |e: String| std::io::Error::other(e);
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    names.push(host.to_string());
    let certified = rcgen::generate_simple_self_signed(names).map_err(|e| io(e.to_string()))?;
    let pem = certified.cert.pem();
    let cert: CertificateDer<'static> = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| io(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .map_err(|e| io(e.to_string()))?;
    Ok((TlsAcceptor::from(Arc::new(config)), pem))
}
