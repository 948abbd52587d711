//! The server's own key: made once, kept private (mode 0600), so viewers
//! see the same fingerprint every time.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

use crate::cli::{Failure, code};
use crate::files;

/// The file name of the key made on first start, beside the register's
/// default location.
pub const FILE_NAME: &str = "host_ed25519_key";

/// Where the key lives when `--host-key` is not given: the data folder.
pub fn default_path() -> Option<PathBuf> {
    crate::store::default_path().and_then(|db| db.parent().map(|dir| dir.join(FILE_NAME)))
}

/// Loads the key at `path`, or makes and keeps a new ed25519 key there when
/// no file exists yet (`made` is then true).
pub fn load_or_create(path: &Path) -> Result<(PrivateKey, bool), Failure> {
    if path.exists() {
        let text = files::read_regular_text(path, 64 * 1024)
            .map_err(|e| Failure::new(code::CANNOT_OPEN, format!("{}: {e}", path.display())))?;
        let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
            Failure::new(
                code::INVALID,
                format!("{}: not an OpenSSH private key ({e})", path.display()),
            )
        })?;
        if key.is_encrypted() {
            return Err(Failure::new(
                code::INVALID,
                format!(
                    "{}: the host key has a passphrase; a server cannot type it",
                    path.display()
                ),
            ));
        }
        return Ok((key, false));
    }
    let key =
        generate().map_err(|e| Failure::new(code::FAILURE, format!("making a host key: {e}")))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| Failure::new(code::FAILURE, format!("encoding the host key: {e}")))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::new(code::CANNOT_OPEN, format!("{}: {e}", dir.display())))?;
    }
    // create_new: never overwrite a key another server just made; 0600 from
    // the first byte, never readable by others even for a moment.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Failure::new(code::CANNOT_OPEN, format!("{}: {e}", path.display())))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::new(code::CANNOT_OPEN, format!("{}: {e}", path.display())))?;
    Ok((key, true))
}

/// `SHA256:...`, as `ssh-keygen -l` and the client's first-connect prompt
/// show it.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// A fresh ed25519 key from the kernel's random source.
fn generate() -> std::io::Result<PrivateKey> {
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut seed)?;
    let pair = Ed25519Keypair::from_seed(&seed);
    seed.fill(0);
    let mut key = PrivateKey::from(pair);
    key.set_comment("improve serve");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_key_is_kept_private_and_the_same_key_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(FILE_NAME);
        let (first, made) = load_or_create(&path).unwrap();
        assert!(made);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let (again, made) = load_or_create(&path).unwrap();
        assert!(!made);
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
    }

    #[test]
    fn a_file_that_is_not_a_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "hello").unwrap();
        let err = load_or_create(&path).unwrap_err();
        assert_eq!(err.code, code::INVALID);
    }
}
