//! The one boundary every exported function goes through: arguments checked (NULL, UTF-8,
//! size), panics caught, and the last error kept per thread for `pd_last_error_message`.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pagerduty_core::{Error, ErrorCode};
use serde_json::json;

/// Largest string or body accepted from a caller.
pub(crate) const MAX_INPUT: usize = 16 * 1024 * 1024;

struct LastError {
    message: CString,
    details: String,
}

thread_local! {
    static LAST: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn set_last(error: &Error) {
    let message = CString::new(error.to_string().replace('\0', " ")).unwrap_or_default();
    let details = pagerduty_core::bindings::details(error).to_string();
    LAST.with(|l| *l.borrow_mut() = Some(LastError { message, details }));
}

fn clear_last() {
    LAST.with(|l| *l.borrow_mut() = None);
}

/// Runs `f` at the boundary: its error becomes the thread's last error and the returned
/// status; a panic becomes `PD_STATUS_INTERNAL` and never unwinds into C.
pub fn guard(f: impl FnOnce() -> Result<(), Error>) -> ErrorCode {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => {
            clear_last();
            ErrorCode::Ok
        }
        Ok(Err(e)) => {
            set_last(&e);
            e.kind()
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let message =
                format!("internal error (a bug in libpagerduty, please report it): {what}");
            LAST.with(|l| {
                *l.borrow_mut() = Some(LastError {
                    message: CString::new(message.replace('\0', " ")).unwrap_or_default(),
                    details: json!({"code": "internal", "message": message}).to_string(),
                })
            });
            ErrorCode::Internal
        }
    }
}

/// Runs `f` inside the panic guard without touching the thread's last error: for the
/// functions that report nothing (frees, names, the version, the last error itself). A panic
/// gives `fallback`.
pub fn quiet<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A required string argument.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid during the call.
pub unsafe fn arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    opt_arg(p, name)?.ok_or_else(|| Error::invalid(name, "is NULL"))
}

/// An optional string argument (NULL = absent).
///
/// # Safety
/// As [`arg`].
pub unsafe fn opt_arg<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if p.is_null() {
        return Ok(None);
    }
    let bytes = CStr::from_ptr(p).to_bytes();
    if bytes.len() > MAX_INPUT {
        return Err(Error::invalid(
            name,
            format!("is {} bytes; the limit is {MAX_INPUT}", bytes.len()),
        ));
    }
    std::str::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Error::invalid(name, "is not valid UTF-8"))
}

/// A byte buffer argument (`ptr`, `len`); NULL is allowed only with `len == 0`.
///
/// # Safety
/// `p` points to `len` readable bytes.
pub unsafe fn bytes_arg<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8], Error> {
    if len > MAX_INPUT {
        return Err(Error::invalid(
            name,
            format!("is {len} bytes; the limit is {MAX_INPUT}"),
        ));
    }
    if p.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Error::invalid(name, "is NULL"))
        };
    }
    Ok(std::slice::from_raw_parts(p, len))
}

/// Checks an out-parameter before any work is done, and clears it.
///
/// # Safety
/// `out` is NULL or writable.
pub unsafe fn out_ptr<T>(out: *mut *mut T, name: &str) -> Result<(), Error> {
    if out.is_null() {
        return Err(Error::invalid(name, "is NULL"));
    }
    *out = std::ptr::null_mut();
    Ok(())
}

/// Clears an optional out-parameter (NULL = not wanted), before any work is done: the one
/// convention for every out-parameter is "cleared first, set only with a value".
///
/// # Safety
/// `out` is NULL or writable.
pub unsafe fn opt_out<T>(out: *mut *mut T) {
    if !out.is_null() {
        *out = std::ptr::null_mut();
    }
}

/// Hands an owned string to C (freed with `pd_string_free`).
///
/// # Safety
/// `out` was checked with [`out_ptr`].
pub unsafe fn give_string(out: *mut *mut c_char, s: String) -> Result<(), Error> {
    let c = CString::new(s).map_err(|_| {
        Error::decoding(
            None,
            b"",
            None,
            "the result contains a NUL byte and cannot be returned as a C string",
        )
    })?;
    *out = c.into_raw();
    Ok(())
}

/// Hands an owned handle to C.
///
/// # Safety
/// `out` was checked with [`out_ptr`].
pub unsafe fn give<T>(out: *mut *mut T, value: T) {
    *out = Box::into_raw(Box::new(value));
}

/// Borrows a handle.
///
/// # Safety
/// `p` is NULL or a live handle of this type.
pub unsafe fn handle<'a, T>(p: *const T, name: &str) -> Result<&'a T, Error> {
    p.as_ref().ok_or_else(|| Error::invalid(name, "is NULL"))
}

/// Borrows a handle mutably.
///
/// # Safety
/// `p` is NULL or a live handle of this type, used by one thread at a time.
pub unsafe fn handle_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T, Error> {
    p.as_mut().ok_or_else(|| Error::invalid(name, "is NULL"))
}

/// Parses an optional JSON argument.
pub fn json_arg(text: Option<&str>, name: &str) -> Result<serde_json::Value, Error> {
    match text {
        None => Ok(serde_json::Value::Null),
        Some(t) if t.trim().is_empty() => Ok(serde_json::Value::Null),
        Some(t) => pagerduty_core::json_text::parse(t.as_bytes())
            .map_err(|e| Error::invalid(name, format!("is not valid JSON: {e}"))),
    }
}

/// The thread's last error message (see `pd_last_error_message`).
pub fn last_message() -> *const c_char {
    LAST.with(|l| {
        l.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// The thread's last error as JSON.
pub fn last_details() -> Option<String> {
    LAST.with(|l| l.borrow().as_ref().map(|e| e.details.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal_and_the_next_call_works() {
        let status = guard(|| panic!("boom"));
        assert_eq!(status, ErrorCode::Internal);
        let msg = unsafe { CStr::from_ptr(last_message()) }.to_str().unwrap();
        assert_eq!(
            msg,
            "internal error (a bug in libpagerduty, please report it): boom"
        );
        assert!(last_details().unwrap().contains("\"code\":\"internal\""));
        assert_eq!(guard(|| Ok(())), ErrorCode::Ok);
        assert!(last_message().is_null());
    }

    #[test]
    fn arguments_are_checked() {
        unsafe {
            assert_eq!(
                arg(std::ptr::null(), "x").unwrap_err().to_string(),
                "invalid x: is NULL"
            );
            let bad = b"\xff\xfe\0";
            assert_eq!(
                arg(bad.as_ptr().cast(), "x").unwrap_err().to_string(),
                "invalid x: is not valid UTF-8"
            );
            assert!(bytes_arg(std::ptr::null(), 0, "b").unwrap().is_empty());
            assert!(bytes_arg(std::ptr::null(), 1, "b").is_err());
            assert!(bytes_arg(b"x".as_ptr(), MAX_INPUT + 1, "b").is_err());
        }
    }
}
