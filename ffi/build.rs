//! The shared library's SONAME is `libpagerduty.so.<major>`: programs record that name, so an
//! incompatible libpagerduty 1.x can be installed beside 0.x (`make install` makes the
//! `libpagerduty.so.0 -> libpagerduty.so.0.1.0` and `libpagerduty.so -> .so.0` links).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpagerduty.so.{major}");
    }
}
