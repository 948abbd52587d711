//! Who may connect: OpenSSH `authorized_keys` files, one for editors and one
//! for viewers, each key's comment naming the person.

use std::path::Path;

use russh::keys::ssh_key::public::KeyData;
use russh::keys::{HashAlg, PublicKey};

use crate::cli::{Failure, code};
use crate::files;

/// What a session may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Changes the register.
    Editor,
    /// Only looks: the dashboard runs read-only.
    Viewer,
}

/// A known key: its person and what they may do.
#[derive(Debug, Clone)]
struct Person {
    key: KeyData,
    name: String,
    role: Role,
}

/// The people a server lets in, and whether strangers may watch.
#[derive(Debug, Clone, Default)]
pub struct Access {
    people: Vec<Person>,
    open: bool,
}

/// Who a key turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub role: Role,
}

/// The name an `--open` server gives a key it does not know.
pub const ANONYMOUS: &str = "anonymous";

impl Access {
    /// Reads the key files. Refuses a server nobody could enter, and a key
    /// file that cannot be read or holds a line that is not a key.
    pub fn load(
        editors: Option<&Path>,
        viewers: Option<&Path>,
        open: bool,
    ) -> Result<Access, Failure> {
        if editors.is_none() && viewers.is_none() && !open {
            return Err(Failure::new(
                code::USAGE,
                "serve needs to know who may connect: give --editors FILE, --viewers FILE \
                 (OpenSSH authorized_keys files) or --open (anyone, as a viewer)",
            ));
        }
        let mut access = Access {
            people: Vec::new(),
            open,
        };
        // Viewers first: a key in both files is an editor (the later wins).
        for (path, role) in [(viewers, Role::Viewer), (editors, Role::Editor)] {
            if let Some(path) = path {
                let text = files::read_regular_text(path, files::MAX_INPUT).map_err(|e| {
                    Failure::new(code::CANNOT_OPEN, format!("{}: {e}", path.display()))
                })?;
                for person in parse(&text, role)
                    .map_err(|e| Failure::new(code::INVALID, format!("{}: {e}", path.display())))?
                {
                    access.people.retain(|p| p.key != person.key);
                    access.people.push(person);
                }
            }
        }
        Ok(access)
    }

    /// Who holds `key`: a listed person, an anonymous viewer on an open
    /// server, or nobody.
    pub fn identify(&self, key: &PublicKey) -> Option<Identity> {
        match self.people.iter().find(|p| &p.key == key.key_data()) {
            Some(p) => Some(Identity {
                name: p.name.clone(),
                role: p.role,
            }),
            None if self.open => Some(Identity {
                name: ANONYMOUS.into(),
                role: Role::Viewer,
            }),
            None => None,
        }
    }

    /// How many editors and viewers are listed.
    pub fn counts(&self) -> (usize, usize) {
        let editors = self
            .people
            .iter()
            .filter(|p| p.role == Role::Editor)
            .count();
        (editors, self.people.len() - editors)
    }
}

/// The key of an `authorized_keys` line, after any options (which may hold
/// quoted spaces, so every word start is tried). Options are not enforced:
/// the server grants only the dashboard anyway.
fn key_in(line: &str) -> Option<PublicKey> {
    std::iter::once(0)
        .chain(line.match_indices(' ').map(|(i, _)| i + 1))
        .find_map(|start| PublicKey::from_openssh(line[start..].trim_start()).ok())
}

/// One person per key line; blank lines and `#` comments are skipped, as
/// sshd does. A key without a comment gets its fingerprint as its name.
fn parse(text: &str, role: Role) -> Result<Vec<Person>, String> {
    let mut people = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key =
            key_in(line).ok_or_else(|| format!("line {}: not an OpenSSH public key", n + 1))?;
        let key = &key;
        let comment = key.comment().as_bytes();
        let name = String::from_utf8_lossy(comment).trim().to_string();
        let name = if name.is_empty() {
            key.fingerprint(HashAlg::Sha256).to_string()
        } else {
            name
        };
        people.push(Person {
            key: key.key_data().clone(),
            name,
            role,
        });
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEb19A5rX3EhcARvyJxNbCDe14ASV5Aua/1Min2KX4QG ana";
    const BOB: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAhtglHt4JY/qgIa3DV0TIlQ7gRcyGhOEykTnyQag3QZ";

    fn key(line: &str) -> PublicKey {
        PublicKey::from_openssh(line).unwrap()
    }

    #[test]
    fn comments_name_people_and_blank_lines_and_options_are_fine() {
        let text = format!("# team\n\n{ANA}\nno-pty,from=\"10.0.0.1\" {BOB}\n");
        let people = parse(&text, Role::Editor).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].name, "ana");
        assert!(people[1].name.starts_with("SHA256:"), "{}", people[1].name);
    }

    #[test]
    fn a_line_that_is_not_a_key_is_refused_with_its_number() {
        let err = parse(&format!("{ANA}\nhello world\n"), Role::Viewer).unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused_unless_open() {
        let access = Access {
            people: parse(ANA, Role::Viewer).unwrap(),
            open: false,
        };
        assert_eq!(
            access.identify(&key(ANA)),
            Some(Identity {
                name: "ana".into(),
                role: Role::Viewer
            })
        );
        assert_eq!(access.identify(&key(BOB)), None);
        let open = Access {
            open: true,
            ..access
        };
        assert_eq!(open.identify(&key(BOB)).unwrap().name, ANONYMOUS);
        assert_eq!(open.identify(&key(BOB)).unwrap().role, Role::Viewer);
    }

    #[test]
    fn nobody_allowed_is_a_usage_error_naming_the_flags() {
        let err = Access::load(None, None, false).unwrap_err();
        assert_eq!(err.code, code::USAGE);
        assert!(err.message.contains("--editors") && err.message.contains("--open"));
    }
}
