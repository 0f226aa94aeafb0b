//! The server's host key (ed25519, made on the first start and kept in OpenSSH's format, mode
//! 0600) and who may connect: anyone (`--open`) or the public keys of an authorized-keys file.

use russh::keys::ssh_key::{AuthorizedKeys, LineEnding};
use russh::keys::{Algorithm, HashAlg, PrivateKey, PublicKey};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Why a key file could not be used, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {what}")]
    File { path: String, what: String },
}

fn file_error(path: &Path, what: impl std::fmt::Display) -> KeyError {
    KeyError::File {
        path: path.display().to_string(),
        what: what.to_string(),
    }
}

/// The host key at `path`: read when the file exists (it must be readable by its owner
/// only, as sshd asks of its keys), else made and saved there. The flag says it was made.
pub fn host_key(path: &Path) -> Result<(PrivateKey, bool), KeyError> {
    match std::fs::metadata(path) {
        Ok(meta) => {
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(file_error(
                    path,
                    format!(
                        "the host key may be read by others (mode {:o}): chmod 600 it",
                        meta.permissions().mode() & 0o777
                    ),
                ));
            }
            let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
            let key = PrivateKey::from_openssh(text.trim_start())
                .map_err(|e| file_error(path, format!("not an OpenSSH private key ({e})")))?;
            if key.is_encrypted() {
                return Err(file_error(
                    path,
                    "the host key is encrypted; give one without a passphrase",
                ));
            }
            Ok((key, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(|e| file_error(path, format!("cannot make a key: {e}")))?;
            let text = key
                .to_openssh(LineEnding::LF)
                .map_err(|e| file_error(path, format!("cannot write the key: {e}")))?;
            // Created with 0600 from the start (never readable by others, not even briefly),
            // and never over an existing file.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| file_error(path, format!("cannot create the host key: {e}")))?;
            f.write_all(text.as_bytes())
                .and_then(|_| f.sync_all())
                .map_err(|e| file_error(path, format!("cannot write the host key: {e}")))?;
            Ok((key, true))
        }
        Err(e) => Err(file_error(path, e)),
    }
}

/// The fingerprint students can compare with what their `ssh` shows on the first connection.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// Who may connect.
#[derive(Clone, Debug)]
pub enum Access {
    /// Anyone, with no authentication at all.
    Open,
    /// Clients holding one of these keys.
    Keys(Vec<PublicKey>),
}

impl Access {
    pub fn allows(&self, key: &PublicKey) -> bool {
        match self {
            Access::Open => true,
            Access::Keys(keys) => keys.iter().any(|k| k.key_data() == key.key_data()),
        }
    }
}

/// The public keys of an authorized-keys file (OpenSSH's format; options before a key are
/// allowed and ignored). A line that is not a key is an error naming its line.
pub fn authorized_keys(path: &Path) -> Result<Vec<PublicKey>, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let mut entries = AuthorizedKeys::new(t);
        match entries.next() {
            Some(Ok(e)) => keys.push(e.public_key().clone()),
            Some(Err(e)) => {
                return Err(file_error(
                    path,
                    format!("line {}: not a public key ({e})", i + 1),
                ));
            }
            None => {}
        }
    }
    if keys.is_empty() {
        return Err(file_error(
            path,
            "no public key in the file: nobody could connect",
        ));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_key_is_made_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("nnbook-hostkey-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("host_key");
        let (made, new) = host_key(&path).unwrap();
        assert!(new);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let (read, new) = host_key(&path).unwrap();
        assert!(!new);
        assert_eq!(fingerprint(&made), fingerprint(&read));
        // Readable by others: refused, naming the file.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = host_key(&path).unwrap_err().to_string();
        assert!(e.contains("host_key") && e.contains("chmod 600"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn authorized_keys_name_the_bad_line() {
        let dir = std::env::temp_dir().join(format!("nnbook-authkeys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        let line = key.public_key().to_openssh().unwrap();
        let good = dir.join("good");
        std::fs::write(&good, format!("# class\n\nno-pty {line} student\n")).unwrap();
        let keys = authorized_keys(&good).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(Access::Keys(keys.clone()).allows(key.public_key()));
        let other = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        assert!(!Access::Keys(keys).allows(other.public_key()));
        let bad = dir.join("bad");
        std::fs::write(&bad, format!("{line}\nssh-ed25519 garbage\n")).unwrap();
        let e = authorized_keys(&bad).unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
