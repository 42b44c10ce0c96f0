"""_native.py's ctypes declarations against include/pagerduty.h, the header cbindgen generates.

The prototypes are typed twice, once by cbindgen in the header and once by hand in _native.py;
this test is what keeps them one. It reads every ``pd_*`` function from the header and checks,
on the loaded functions themselves (their ``argtypes`` and ``restype``), that each is declared
with as many arguments as the header has and with the one ctypes type that stands for each C
type; and that _native declares no function the header lacks.
"""

import ctypes
import os
import re
from ctypes import POINTER, c_bool, c_char_p, c_int32, c_size_t, c_uint16, c_uint64, c_void_p
from typing import Dict, List, Optional, Tuple

from pagerduty_ffi import _native

from conftest import ROOT

HEADER = os.path.join(ROOT, "include", "pagerduty.h")

# The one ctypes type for each C type the header uses. Strings the library hands over are owned
# by the caller and freed with pd_string_free, so they travel as void* (a c_char_p would copy
# them into a Python bytes and lose the pointer); borrowed ones (`const char *` results) are
# c_char_p. Handles are opaque: void*. Byte buffers are passed as Python bytes (c_char_p).
SCALARS: Dict[str, object] = {
    "void": None,
    "pd_status": c_int32,
    "int32_t": c_int32,
    "uint16_t": c_uint16,
    "uint64_t": c_uint64,
    "uint64_t *": POINTER(c_uint64),
    "size_t": c_size_t,
    "const char *": c_char_p,
    "char *": c_void_p,
    "char **": POINTER(c_void_p),
    "const uint8_t *": c_char_p,
    "bool": c_bool,
    "bool *": POINTER(c_bool),
    "const char *const *": POINTER(c_char_p),
}


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _normalize(c_type: str) -> str:
    """`const struct pd_rest  *` -> `const pd_rest *`; `char**` -> `char **`."""
    c_type = re.sub(r"\bstruct\s+", "", c_type)
    c_type = re.sub(r"\s*\*\s*", " *", c_type.strip())
    c_type = re.sub(r"\*\s+(?=\*)", "*", c_type)
    c_type = re.sub(r"\*\s*const\b", "*const", c_type)
    return re.sub(r"\s+", " ", c_type).strip()


def parse_header(text: str) -> Tuple[Dict[str, Tuple[str, List[str]]], List[str]]:
    """{name: (return type, [parameter types])} for every pd_* function, and the opaque types."""
    body = _strip_comments(text)
    opaque = re.findall(r"typedef\s+struct\s+(\w+)\s+\1\s*;", body)
    functions: Dict[str, Tuple[str, List[str]]] = {}
    for ret, name, params in re.findall(r"([A-Za-z_][\w\s\*]*?)\b(pd_\w+)\s*\(([^)]*)\)\s*;", body):
        ret = ret.strip().split("\n")[-1]
        args: List[str] = []
        if params.strip() not in ("", "void"):
            for param in params.split(","):
                m = re.match(r"^(.*?[\s\*])(\w+)\s*$", param.strip(), flags=re.S)
                assert m, f"{name}: cannot read the parameter {param!r}"
                args.append(_normalize(m.group(1)))
        assert name not in functions, f"{name} is declared twice in the header"
        functions[name] = (_normalize(ret), args)
    return functions, opaque


def ctypes_for(c_type: str, opaque: List[str]) -> Optional[object]:
    if c_type in SCALARS:
        return SCALARS[c_type]
    m = re.fullmatch(r"(?:const )?(\w+) (\*+)", c_type)
    if m and m.group(1) in opaque:
        return c_void_p if m.group(2) == "*" else POINTER(c_void_p)
    raise AssertionError(f"no ctypes type is agreed for the C type {c_type!r}: add it to SCALARS")


def _name(t: object) -> str:
    return "None" if t is None else getattr(t, "__name__", repr(t))


def test_the_header_parses_into_every_function() -> None:
    with open(HEADER, encoding="utf-8") as f:
        functions, opaque = parse_header(f.read())
    assert len(functions) >= 25, sorted(functions)
    assert {"pd_rest", "pd_pager", "pd_events", "pd_outbox"} <= set(opaque)
    assert functions["pd_webhook_verify"] == (
        "pd_status",
        ["const char *const *", "size_t", "const char *", "const uint8_t *", "size_t", "size_t", "char **"],
    )
    assert functions["pd_version"] == ("const char *", [])
    assert functions["pd_pager_new"][1][-1] == "pd_pager **"


def test_native_declares_every_function_as_the_header_does() -> None:
    with open(HEADER, encoding="utf-8") as f:
        functions, opaque = parse_header(f.read())
    problems = []
    for name, (ret, params) in sorted(functions.items()):
        fn = getattr(_native, name, None)
        if fn is None:
            problems.append(f"{name}: in the header, not declared in _native.py (or not in the library)")
            continue
        want_args = [ctypes_for(p, opaque) for p in params]
        got_args = list(fn.argtypes or [])
        if fn.argtypes is None:
            problems.append(f"{name}: argtypes not set")
        elif len(got_args) != len(want_args):
            problems.append(f"{name}: {len(got_args)} arguments declared, the header has {len(want_args)}")
        else:
            for i, (got, want, c_type) in enumerate(zip(got_args, want_args, params)):
                if got is not want:
                    problems.append(f"{name} argument {i + 1} ({c_type}): {_name(got)}, want {_name(want)}")
        want_ret = ctypes_for(ret, opaque)
        if fn.restype is not want_ret:
            problems.append(f"{name} result ({ret}): {_name(fn.restype)}, want {_name(want_ret)}")
    extra = sorted(
        n
        for n, v in vars(_native).items()
        if n.startswith("pd_") and isinstance(v, ctypes._CFuncPtr) and n not in functions
    )
    problems += [f"{n}: declared in _native.py, not in the header" for n in extra]
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_wrong_declaration() -> None:
    """The comparison above is not vacuous: a prototype typed differently is reported."""
    functions, opaque = parse_header(
        "typedef struct pd_rest pd_rest;\n"
        "// comment (x)\n"
        "pd_status pd_rest_op(const struct pd_rest *client,\n   const char *operation, char **out_json);\n"
    )
    assert functions == {"pd_rest_op": ("pd_status", ["const pd_rest *", "const char *", "char **"])}
    assert [ctypes_for(p, opaque) for p in functions["pd_rest_op"][1]] == [c_void_p, c_char_p, POINTER(c_void_p)]
    assert ctypes_for("char **", opaque) is not c_char_p
