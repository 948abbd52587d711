//! Reading a file a user named (configuration, import, model) without being
//! fooled into reading forever: a FIFO, a device such as `/dev/zero` or a
//! file of gigabytes is refused at once with a reason, not read.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Larger than any register export a person would import, small enough that
/// reading it never stalls the machine.
pub const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// Why a named file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not there, not allowed, or an I/O failure: the OS's words.
    Io(io::Error),
    /// A FIFO, socket, device or folder: reading it could block or never end.
    NotAFile(&'static str),
    /// Over the limit, with its size in bytes.
    TooLarge(u64, u64),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotAFile(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(size, limit) => write!(
                f,
                "it is {} MiB, over the {} MiB limit",
                size.div_ceil(1024 * 1024),
                limit / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads a regular file of at most `limit` bytes. The file is opened without
/// blocking (a FIFO with no writer would otherwise hang the open itself) and
/// checked through the open handle, so a name swapped between check and read
/// changes nothing.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotAFile(describe(&kind)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// [`read_regular`] for text: invalid UTF-8 is an error naming the byte.
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read_regular_text(&p, MAX_INPUT).unwrap(), "x = 1\n");
    }

    #[test]
    fn refuses_a_folder_a_device_and_a_big_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_regular(dir.path(), MAX_INPUT).unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
        #[cfg(unix)]
        {
            let e = read_regular(Path::new("/dev/zero"), MAX_INPUT).unwrap_err();
            assert!(e.to_string().contains("a device"), "{e}");
        }
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'a'; 2048]).unwrap();
        let e = read_regular(&p, 1024).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge(2048, 1024)), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_without_a_writer_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fifo");
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_regular(&p, MAX_INPUT).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
    }
}
