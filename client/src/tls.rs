//! The TLS settings of every client: one rustls [`ClientConfig`] for the whole process, whose
//! certificate verifier reads the system's root store the first time a server certificate has
//! to be checked, and never before (issue 17).
//!
//! Reading the store (the CA bundle and ~150 files in /etc/ssl/certs) costs ~3 ms. reqwest's own
//! rustls setup (rustls-platform-verifier) reads it again for every `reqwest::Client` built, and
//! the blocking transport builds one per thread: at 16 threads that was ~50 ms of CPU, spent even
//! by clients that only ever speak plain http to the simulator on loopback. Here:
//! - the system's roots are read at most once per process ([`system_roots`]): by the first
//!   client made for `https://` endpoints, else by the first handshake that needs them; a client
//!   of plain-http endpoints that never makes an HTTPS connection never reads them;
//! - clients without extra CAs share one config (and so one verifier and one TLS session cache:
//!   a thread's new connection can resume a session another thread made);
//! - a client with `ca_pem` / `ca_file` gets its own config, built once per client: its verifier
//!   trusts the system's roots (the same once-read copy) plus its extra CAs.
//!
//! The verifier is WebPKI's, as in rustls-platform-verifier on Linux and the BSDs; the signature
//! checks it does not need roots for are the provider's (what WebPKI's verifier calls too).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use pagerduty_core::Error;

/// How many times this process read the system's root store (0 or 1).
static SYSTEM_ROOT_LOADS: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has read the system's certificate root store: 0 until a client
/// first checks a server certificate, then 1 for the life of the process, however many clients
/// and threads there are. For tests that hold the transport to that promise; not a stable API.
#[doc(hidden)]
pub fn system_root_loads() -> usize {
    SYSTEM_ROOT_LOADS.load(Ordering::Relaxed)
}

/// The system's roots, read on first use and kept for the life of the process. Certificates the
/// system holds but WebPKI cannot parse are skipped (as rustls-platform-verifier does); an empty
/// store is not an error here: a verifier with no roots at all fails the handshake instead.
fn system_roots() -> &'static RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        SYSTEM_ROOT_LOADS.fetch_add(1, Ordering::Relaxed);
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        store
    })
}

/// Reads the system's roots now if no client has yet (for clients that will speak HTTPS: their
/// first call then costs what it did before; see `Settings::https`).
pub(crate) fn load_system_roots() {
    system_roots();
}

/// The crypto provider reqwest itself would pick: one the program installed, else aws-lc-rs.
fn provider() -> Arc<CryptoProvider> {
    CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

/// WebPKI's verifier over the system's roots plus `extra`, built on the first handshake.
#[derive(Debug)]
struct LazyRootsVerifier {
    provider: Arc<CryptoProvider>,
    /// The caller's extra CAs, already checked.
    extra: RootCertStore,
    inner: OnceLock<Result<Arc<WebPkiServerVerifier>, rustls::Error>>,
}

impl LazyRootsVerifier {
    fn new(provider: Arc<CryptoProvider>, extra: RootCertStore) -> Self {
        LazyRootsVerifier {
            provider,
            extra,
            inner: OnceLock::new(),
        }
    }

    fn inner(&self) -> Result<&Arc<WebPkiServerVerifier>, rustls::Error> {
        self.inner
            .get_or_init(|| {
                let mut roots = system_roots().clone();
                roots.roots.extend(self.extra.roots.iter().cloned());
                if roots.is_empty() {
                    return Err(rustls::Error::General(
                        "no CA certificates were loaded from the system".into(),
                    ));
                }
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
                    .build()
                    .map_err(|e| rustls::Error::General(format!("certificate verifier: {e}")))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyRootsVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A config with reqwest's defaults for our build (TLS 1.2 and 1.3, SNI, ALPN http/1.1: the
/// client speaks HTTP/1.1 only) around `verifier`.
fn config(
    provider: Arc<CryptoProvider>,
    verifier: LazyRootsVerifier,
) -> Result<ClientConfig, Error> {
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Transport(format!("cannot start the HTTP client: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The TLS config for a client: the process's shared one when `extra_roots` is empty, else a new
/// one trusting them too (a bad certificate fails here, as it did in reqwest's builder).
// Never inlined: ffi/tests/c/valgrind.supp names this frame (the process-wide config, kept for
// the life of the process, is "possibly lost" to valgrind).
#[inline(never)]
pub(crate) fn client_config(
    extra_roots: &[CertificateDer<'static>],
) -> Result<ClientConfig, Error> {
    if extra_roots.is_empty() {
        static SHARED: OnceLock<ClientConfig> = OnceLock::new();
        if let Some(c) = SHARED.get() {
            return Ok(c.clone());
        }
        let c = config(
            provider(),
            LazyRootsVerifier::new(provider(), RootCertStore::empty()),
        )?;
        return Ok(SHARED.get_or_init(|| c).clone());
    }
    let mut extra = RootCertStore::empty();
    for cert in extra_roots {
        extra
            .add(cert.clone())
            .map_err(|e| Error::Transport(format!("cannot start the HTTP client: {e}")))?;
    }
    let provider = provider();
    config(provider.clone(), LazyRootsVerifier::new(provider, extra))
}
