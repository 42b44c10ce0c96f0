"""Loads libpagerduty and declares its functions (the C header is include/pagerduty.h)."""

import ctypes
import os
import sys
from ctypes import POINTER, c_bool, c_char_p, c_int32, c_size_t, c_uint16, c_uint64, c_void_p

# A wheel carries the library in the _pagerduty folder under the name maturin gives it (its
# cffi layout, lib<module>.so); a source checkout may have libpagerduty copied beside this file.
_BUNDLED = {"darwin": "lib_pagerduty.dylib", "win32": "_pagerduty.dll"}
_BESIDE = {"darwin": "libpagerduty.dylib", "win32": "pagerduty.dll"}


def _candidates():
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "_pagerduty", _BUNDLED.get(sys.platform, "lib_pagerduty.so"))
    yield os.path.join(here, _BESIDE.get(sys.platform, "libpagerduty.so"))
    import ctypes.util  # only when needed: importing it costs more than loading the library

    found = ctypes.util.find_library("pagerduty")
    if found:
        yield found


def _load():
    override = os.environ.get("PAGERDUTY_FFI_LIB")
    if override:  # an override is the only candidate: never silently another library
        try:
            return ctypes.CDLL(override)
        except OSError as e:
            raise ImportError(f"libpagerduty did not load from PAGERDUTY_FFI_LIB={override}: {e}") from e
    errors = []
    for path in _candidates():
        if os.path.isabs(path) and not os.path.exists(path):
            errors.append(f"{path}: no such file")
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError(
        "libpagerduty was not found: install a pagerduty-ffi wheel (it carries the library), or "
        "set PAGERDUTY_FFI_LIB to its path (cargo build --release -p pagerduty-ffi builds "
        "target/release/libpagerduty.so). Tried: " + "; ".join(errors or ["nothing"])
    )


lib = _load()

_OUT = POINTER(c_void_p)  # char ** / handle ** out-parameters; kept as void* to free them later


def _fn(name, argtypes, restype=c_int32):
    f = getattr(lib, name)
    f.argtypes = argtypes
    f.restype = restype
    return f


def _optional(name, argtypes, restype=c_int32):
    """A function an older libpagerduty may lack: None there."""
    try:
        return _fn(name, argtypes, restype)
    except AttributeError:
        return None


pd_version = _fn("pd_version", [], c_char_p)
pd_status_name = _fn("pd_status_name", [c_int32], c_char_p)
pd_string_free = _fn("pd_string_free", [c_void_p], None)
pd_last_error_message = _fn("pd_last_error_message", [], c_char_p)
pd_last_error_details = _fn("pd_last_error_details", [_OUT])

pd_rest_new = _fn("pd_rest_new", [c_char_p, c_char_p, _OUT])
pd_rest_free = _fn("pd_rest_free", [c_void_p], None)
pd_rest_request = _fn("pd_rest_request", [c_void_p, c_char_p, c_char_p, c_char_p, c_char_p, _OUT])
pd_rest_op = _fn("pd_rest_op", [c_void_p, c_char_p, c_char_p, _OUT])
pd_rest_cancel = _optional("pd_rest_cancel", [c_void_p])
pd_rest_rate_limit = _optional("pd_rest_rate_limit", [c_void_p, _OUT])

pd_pager_new = _fn("pd_pager_new", [c_void_p, c_char_p, c_char_p, _OUT])
pd_pager_op = _fn("pd_pager_op", [c_void_p, c_char_p, c_char_p, _OUT])
pd_pager_history = _fn("pd_pager_history", [c_void_p, c_char_p, c_char_p, c_char_p, c_char_p, _OUT])
pd_operations = _fn("pd_operations", [_OUT])
pd_pager_next = _fn("pd_pager_next", [c_void_p, _OUT])
pd_pager_truncated = _fn("pd_pager_truncated", [c_void_p, POINTER(c_bool)])
pd_pager_free = _fn("pd_pager_free", [c_void_p], None)

pd_events_new = _fn("pd_events_new", [c_char_p, c_char_p, _OUT])
pd_events_free = _fn("pd_events_free", [c_void_p], None)
pd_events_trigger = _fn("pd_events_trigger", [c_void_p, c_char_p, _OUT])
pd_events_acknowledge = _fn("pd_events_acknowledge", [c_void_p, c_char_p])
pd_events_resolve = _fn("pd_events_resolve", [c_void_p, c_char_p])
pd_events_change = _fn("pd_events_change", [c_void_p, c_char_p])
pd_events_v1 = _fn("pd_events_v1", [c_void_p, c_char_p, c_char_p, _OUT])
pd_events_cancel = _optional("pd_events_cancel", [c_void_p])

pd_outbox_open = _fn("pd_outbox_open", [c_char_p, c_char_p, _OUT])
pd_outbox_enqueue = _fn("pd_outbox_enqueue", [c_void_p, c_char_p, c_char_p, _OUT])
pd_outbox_flush = _fn("pd_outbox_flush", [c_void_p, c_uint64, _OUT])
pd_outbox_start = _fn("pd_outbox_start", [c_void_p])
pd_outbox_stats = _fn("pd_outbox_stats", [c_void_p, _OUT])
pd_outbox_dead = _fn("pd_outbox_dead", [c_void_p, _OUT])
pd_outbox_retry_dead = _fn("pd_outbox_retry_dead", [c_void_p, c_char_p, POINTER(c_uint64)])
pd_outbox_close = _fn("pd_outbox_close", [c_void_p])
pd_outbox_free = _fn("pd_outbox_free", [c_void_p], None)
pd_outbox_spool = _fn("pd_outbox_spool", [c_char_p, c_char_p, c_char_p, c_char_p, _OUT])
pd_outbox_inspect = _fn("pd_outbox_inspect", [c_char_p, _OUT])

pd_webhook_verify = _fn(
    "pd_webhook_verify", [POINTER(c_char_p), c_size_t, c_char_p, c_char_p, c_size_t, c_size_t, _OUT]
)
pd_webhook_event_code = _fn("pd_webhook_event_code", [c_char_p])
pd_webhook_event_type_name = _fn("pd_webhook_event_type_name", [c_int32], c_char_p)
pd_replay_guard_new = _fn("pd_replay_guard_new", [c_size_t, _OUT])
pd_replay_guard_seen = _fn("pd_replay_guard_seen", [c_void_p, c_char_p, POINTER(c_bool)])
pd_replay_guard_remember = _fn("pd_replay_guard_remember", [c_void_p, c_char_p, c_bool])
pd_replay_guard_free = _fn("pd_replay_guard_free", [c_void_p], None)
pd_dedup_key = _fn("pd_dedup_key", [c_char_p, _OUT])
pd_rest_find_incident_for_dedup_key = _fn("pd_rest_find_incident_for_dedup_key", [c_void_p, c_char_p, c_uint64, _OUT])
pd_rest_create_incident_once = _fn("pd_rest_create_incident_once", [c_void_p, c_char_p, _OUT, POINTER(c_bool)])
pd_build_request = _fn("pd_build_request", [c_char_p, _OUT])
pd_parse_response = _fn("pd_parse_response", [c_char_p, c_uint16, c_char_p, c_char_p, c_size_t, _OUT])
pd_oauth = _fn("pd_oauth", [c_char_p, _OUT])
