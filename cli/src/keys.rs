//! Where keys come from: the environment or a file, never the command line.

use std::path::Path;

use pagerduty_client::Error;

/// Flags that would carry a key on the command line. Refused before anything else is read:
/// a key there lands in the shell's history and in `ps` for every user of the machine.
const KEY_FLAGS: [(&str, &str, &str); 7] = [
    ("--token", "PAGERDUTY_TOKEN", "--token-file"),
    ("--api-key", "PAGERDUTY_TOKEN", "--token-file"),
    ("--rest-key", "PAGERDUTY_TOKEN", "--token-file"),
    (
        "--routing-key",
        "PAGERDUTY_ROUTING_KEY",
        "--routing-key-file",
    ),
    (
        "--integration-key",
        "PAGERDUTY_ROUTING_KEY",
        "--routing-key-file",
    ),
    (
        "--service-key",
        "PAGERDUTY_ROUTING_KEY",
        "--routing-key-file",
    ),
    ("--key", "PAGERDUTY_ROUTING_KEY", "--routing-key-file"),
];

/// The refusal for a key flag among `args` (never quoting its value).
pub fn refuse_keys_on_command_line(args: &[std::ffi::OsString]) -> Result<(), Error> {
    for arg in args.iter().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        let flag = arg.split('=').next().unwrap_or(arg);
        if let Some((flag, env, file)) = KEY_FLAGS.iter().find(|(f, _, _)| *f == flag) {
            return Err(Error::invalid(
                flag.trim_start_matches('-'),
                format!(
                    "a key is never taken on the command line: it would land in your shell's \
                     history and in `ps` for every user of this machine. Set {env} in the \
                     environment, or put the key in a file readable only by you and pass \
                     {file} FILE"
                ),
            ));
        }
    }
    Ok(())
}

/// The key from `file` if given, else from the environment variable `env`.
pub fn load(file: Option<&Path>, env: &str, file_flag: &str) -> Result<String, Error> {
    let field = file_flag.trim_start_matches('-');
    let key = match file {
        Some(path) => read_secret_file(path, field)?,
        None => match std::env::var(env) {
            Ok(v) if !v.trim().is_empty() => v.trim().to_owned(),
            _ => {
                return Err(Error::invalid(
                    env,
                    format!(
                        "is not set: put the key in the environment variable {env}, or in a \
                         file passed with {file_flag} FILE"
                    ),
                ))
            }
        },
    };
    Ok(key)
}

/// A file holding a secret (a key, webhook secrets), trimmed. Its name is shown in errors
/// unless it looks like a key itself (someone passed the key instead of a path).
pub fn read_secret_file(path: &Path, field: &str) -> Result<String, Error> {
    let shown = shown_path(path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::invalid(field, format!("cannot read {shown}: {}", io_reason(&e))))?;
    warn_if_readable_by_others(path, &shown);
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(Error::invalid(field, format!("{shown} is empty")));
    }
    Ok(text)
}

/// How a path is named in a message: as given, unless it has the shape of a key (20 or 32
/// characters without a `/` or a dot), in which case it is not repeated.
pub fn shown_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let looks_like_key =
        matches!(s.len(), 20 | 32) && !s.contains('/') && !s.contains('.') && !s.contains(' ');
    if looks_like_key {
        "the file named (not shown: it has the shape of a key — pass a path, not the key)"
            .to_owned()
    } else {
        format!("{s:?}")
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path, shown: &str) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o004 != 0 {
            eprintln!(
                "pagerduty: warning: {shown} is readable by every user of this machine \
                 (chmod 600 it)"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path, _: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_flags_are_refused_without_quoting_the_value() {
        let args: Vec<std::ffi::OsString> =
            ["pagerduty", "event", "trigger", "--routing-key=abc123"]
                .iter()
                .map(Into::into)
                .collect();
        let e = refuse_keys_on_command_line(&args).unwrap_err().to_string();
        assert!(
            e.contains("shell's history") && e.contains("PAGERDUTY_ROUTING_KEY"),
            "{e}"
        );
        assert!(!e.contains("abc123"));
        let fine: Vec<std::ffi::OsString> = ["pagerduty", "--token-file", "f", "--", "--token"]
            .iter()
            .map(Into::into)
            .collect();
        assert!(refuse_keys_on_command_line(&fine).is_ok());
    }

    #[test]
    fn a_key_passed_as_a_path_is_not_repeated() {
        let s = shown_path(Path::new("pdmockintegrationkey000000000001"));
        assert!(!s.contains("pdmock"), "{s}");
        assert_eq!(shown_path(Path::new("/etc/pd/key")), "\"/etc/pd/key\"");
    }
}
