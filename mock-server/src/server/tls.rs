//! HTTPS: the certificate (generated or read from PEM files) and rustls' acceptor.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::StartError;

/// The names a self-signed certificate is valid for: what a client on the same machine
/// dials.
const SELF_SIGNED_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// How a [`MockServer`](crate::MockServer) serves HTTPS
/// ([`MockServerBuilder::tls`](crate::MockServerBuilder::tls)); without it, plain HTTP.
///
/// TLS is rustls' (TLS 1.3 and 1.2, on the aws-lc-rs provider), HTTP/1.1 inside. A client
/// that fails its handshake (it does not trust the certificate, it speaks plain HTTP) is
/// disconnected; the server goes on serving the others.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use keygate_mock::{MockServer, Tls};
///
/// let server = MockServer::builder().tls(Tls::SelfSigned).start().await?;
/// assert!(server.url().starts_with("https://127.0.0.1:"));
/// // What a client trusts: the certificate, never the key.
/// let pem = server.certificate_pem().expect("TLS is on");
/// let client = reqwest::Client::builder()
///     .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes())?)
///     .build()?;
/// # let _ = client;
/// server.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tls {
    /// A certificate for `localhost`, `127.0.0.1` and `::1`, generated at start and signed by
    /// its own key, which never leaves memory. Clients trust it through
    /// [`MockServer::certificate_pem`](crate::MockServer::certificate_pem); nothing is
    /// written to disk.
    SelfSigned,
    /// As [`SelfSigned`](Self::SelfSigned), and the certificate (PEM; never the key) written
    /// to a fresh file in the system temp dir, `keygate-mock-<random>.pem`, readable by the
    /// owner only and removed when the server stops or is dropped. Its path is
    /// [`MockServer::certificate_path`](crate::MockServer::certificate_path). This is what
    /// `keygate-mock --tls` does.
    SelfSignedToFile,
    /// Your own certificate chain (end-entity first) and its private key (PKCS#8, PKCS#1 or
    /// SEC1), PEM files read at start.
    PemFiles {
        /// The certificate chain.
        certificate: PathBuf,
        /// The private key.
        key: PathBuf,
    },
}

impl Tls {
    /// [`Tls::PemFiles`] with these files.
    pub fn pem_files(certificate: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        Self::PemFiles {
            certificate: certificate.into(),
            key: key.into(),
        }
    }
}

/// A TLS setting made ready to serve.
pub(crate) struct Prepared {
    pub(crate) acceptor: TlsAcceptor,
    /// The certificate chain clients are shown, PEM.
    pub(crate) certificate_pem: String,
    /// Where that PEM is on disk, if anywhere.
    pub(crate) certificate_path: Option<PathBuf>,
    /// The file written for [`Tls::SelfSignedToFile`]: deleted when dropped.
    pub(crate) written: Option<tempfile::TempPath>,
}

impl Tls {
    /// Generates or reads the certificate and builds the acceptor; writes the certificate
    /// file for [`Tls::SelfSignedToFile`].
    pub(crate) fn prepare(&self) -> Result<Prepared, StartError> {
        match self {
            Self::SelfSigned => self_signed(false),
            Self::SelfSignedToFile => self_signed(true),
            Self::PemFiles { certificate, key } => from_files(certificate, key),
        }
    }
}

fn tls_error(message: impl Into<String>) -> StartError {
    StartError::Tls(message.into())
}

fn self_signed(write: bool) -> Result<Prepared, StartError> {
    let names: Vec<String> = SELF_SIGNED_NAMES.iter().map(|&n| n.to_owned()).collect();
    let mut params = rcgen::CertificateParams::new(names)
        .map_err(|e| tls_error(format!("cannot make a self-signed certificate: {e}")))?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "keygate-mock");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let key_pair = rcgen::KeyPair::generate()
        .map_err(|e| tls_error(format!("cannot generate a key pair: {e}")))?;
    let certificate = params
        .self_signed(&key_pair)
        .map_err(|e| tls_error(format!("cannot sign the self-signed certificate: {e}")))?;
    let certificate_pem = certificate.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pair.serialize_der()));
    let acceptor = acceptor(vec![certificate.der().clone()], key)
        .map_err(|e| tls_error(format!("cannot serve the self-signed certificate: {e}")))?;
    let written = if write {
        Some(write_certificate(&certificate_pem)?)
    } else {
        None
    };
    Ok(Prepared {
        acceptor,
        certificate_pem,
        certificate_path: written.as_ref().map(|path| path.to_path_buf()),
        written,
    })
}

/// Writes `pem` to a new file (created exclusively, mode 0600) in the temp dir.
fn write_certificate(pem: &str) -> Result<tempfile::TempPath, StartError> {
    use std::io::Write as _;
    let mut file = tempfile::Builder::new()
        .prefix("keygate-mock-")
        .suffix(".pem")
        .tempfile()
        .map_err(|e| {
            let dir = std::env::temp_dir();
            tls_error(format!(
                "cannot create the certificate file in {}: {e}",
                dir.display()
            ))
        })?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| {
            tls_error(format!(
                "cannot write the certificate to {}: {e}",
                file.path().display()
            ))
        })?;
    Ok(file.into_temp_path())
}

fn from_files(certificate: &Path, key: &Path) -> Result<Prepared, StartError> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path).map_err(|e| {
            tls_error(format!(
                "cannot read the {what} file {}: {e}",
                path.display()
            ))
        })
    };
    let cert_bytes = read(certificate, "certificate")?;
    let key_bytes = read(key, "key")?;
    let chain = CertificateDer::pem_slice_iter(&cert_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            tls_error(format!(
                "{} is not a PEM certificate file: {e}",
                certificate.display()
            ))
        })?;
    if chain.is_empty() {
        return Err(tls_error(format!(
            "{} holds no certificate (PEM, -----BEGIN CERTIFICATE-----)",
            certificate.display()
        )));
    }
    // The parser's own message is left out: it could quote a line of the key file.
    let key_der = PrivateKeyDer::from_pem_slice(&key_bytes).map_err(|_| {
        tls_error(format!(
            "{} holds no private key (PEM: PKCS#8, PKCS#1 or SEC1)",
            key.display()
        ))
    })?;
    // The certificate blocks only, re-encoded: the file may hold the key too.
    let certificate_pem = to_pem(&chain);
    let acceptor = acceptor(chain, key_der).map_err(|e| {
        tls_error(format!(
            "the certificate {} and the key {} cannot be used together: {e}",
            certificate.display(),
            key.display()
        ))
    })?;
    Ok(Prepared {
        acceptor,
        certificate_pem,
        certificate_path: Some(certificate.to_path_buf()),
        written: None,
    })
}

/// Certificates as PEM `CERTIFICATE` blocks, 64 base64 characters a line (RFC 7468).
fn to_pem(chain: &[CertificateDer<'_>]) -> String {
    use base64::Engine as _;
    let mut pem = String::new();
    for der in chain {
        let encoded = base64::engine::general_purpose::STANDARD.encode(der);
        pem.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in encoded.as_bytes().chunks(64) {
            // Base64 is ASCII: every chunk is text.
            pem.push_str(std::str::from_utf8(line).unwrap_or_default());
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
    }
    pem
}

/// rustls' server side on aws-lc-rs, HTTP/1.1 offered by ALPN. Fails when the key is not
/// one rustls can sign with or does not match the certificate.
fn acceptor(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<TlsAcceptor, tokio_rustls::rustls::Error> {
    let mut config = ServerConfig::builder_with_provider(Arc::new(aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_round_trip() {
        let chain = vec![
            CertificateDer::from((0u8..=200).collect::<Vec<u8>>()),
            CertificateDer::from(vec![1u8, 2, 3]),
        ];
        let pem = to_pem(&chain);
        assert!(pem.lines().all(|line| line.len() <= 64), "{pem}");
        let parsed = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("PEM");
        assert_eq!(parsed, chain);
    }

    #[test]
    fn self_signed_certificates_are_kept_in_memory_unless_asked() {
        let prepared = Tls::SelfSigned.prepare().expect("prepared");
        assert!(
            prepared
                .certificate_pem
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        assert!(!prepared.certificate_pem.contains("PRIVATE KEY"));
        assert_eq!(prepared.certificate_path, None);

        let written = Tls::SelfSignedToFile.prepare().expect("prepared");
        let path = written.certificate_path.clone().expect("a path");
        assert_eq!(
            std::fs::read_to_string(&path).expect("written"),
            written.certificate_pem
        );
        drop(written);
        assert!(!path.exists(), "removed with the server");
    }
}
