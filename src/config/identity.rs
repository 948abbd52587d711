//! Who is writing: the name every change in the history is signed with.
//!
//! In order: `IMPROVE_USER` (which `improve serve` sets to the name of the
//! SSH key a session logged in with), `user = "..."` in the configuration,
//! then the operating system's login name. Empty only when none of these
//! gives a name.

/// Where the author's name came from, for `improve config` and the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorSource {
    Env,
    Config,
    Login,
    Unknown,
}

/// The author for this process, from the environment and the configuration.
pub fn author(config_user: Option<&str>) -> (String, AuthorSource) {
    resolve(
        std::env::var("IMPROVE_USER").ok().as_deref(),
        config_user,
        login_name().as_deref(),
    )
}

/// The rule itself, without the environment: the first non-blank name wins;
/// control characters never make it into a signature.
pub fn resolve(
    env: Option<&str>,
    config: Option<&str>,
    login: Option<&str>,
) -> (String, AuthorSource) {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .to_string()
    };
    for (name, source) in [
        (env, AuthorSource::Env),
        (config, AuthorSource::Config),
        (login, AuthorSource::Login),
    ] {
        if let Some(n) = name.map(clean).filter(|n| !n.is_empty()) {
            return (n, source);
        }
    }
    (String::new(), AuthorSource::Unknown)
}

/// The login name: the password database's entry for this user, else
/// `$USER` / `$LOGNAME` / `$USERNAME`.
pub fn login_name() -> Option<String> {
    #[cfg(unix)]
    if let Some(name) = passwd_name() {
        return Some(name);
    }
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

#[cfg(unix)]
fn passwd_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to memory owned here and sized as passed;
    // getpwuid_r fills `pwd` with pointers into `buf` only.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points to a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    name.to_str()
        .ok()
        .map(String::from)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_given_name_wins_in_order() {
        assert_eq!(
            resolve(Some("ana"), Some("cfg"), Some("root")),
            ("ana".into(), AuthorSource::Env)
        );
        assert_eq!(
            resolve(Some("  "), Some("cfg"), Some("root")),
            ("cfg".into(), AuthorSource::Config)
        );
        assert_eq!(
            resolve(None, None, Some("root")),
            ("root".into(), AuthorSource::Login)
        );
        assert_eq!(
            resolve(None, None, None),
            (String::new(), AuthorSource::Unknown)
        );
    }

    #[test]
    fn control_characters_never_reach_a_signature() {
        assert_eq!(resolve(Some("a\x1b[2Jna"), None, None).0, "a[2Jna");
    }

    #[test]
    fn this_process_has_a_login_name() {
        assert!(login_name().is_some());
    }
}
