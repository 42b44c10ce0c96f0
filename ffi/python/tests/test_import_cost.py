"""What `import pagerduty_ffi` costs (issue 17): it imports no module it does not need at once.
The outbox, OAuth and webhook modules, and json, typing, re and threading, are imported on
first use. Their public names still import as before."""

import os
import subprocess
import sys

import pagerduty_ffi as pd

# Each costs milliseconds in a fresh interpreter (re pulls in enum, functools, collections).
NOT_AT_IMPORT = [
    "json",
    "re",
    "typing",
    "enum",
    "functools",
    "collections",
    "threading",
    "numbers",
    "decimal",
    "pagerduty_ffi.outbox",
    "pagerduty_ffi.oauth",
    "pagerduty_ffi.webhooks",
    "pagerduty_ffi.resources",
]


def fresh(code: str) -> str:
    """Runs `code` in a new interpreter that finds this pagerduty_ffi and its library."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(pd.__file__)), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_import_brings_in_only_what_it_needs():
    new = fresh(
        "import sys\n"
        "before = set(sys.modules)\n"
        "import pagerduty_ffi\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    ).split()
    assert "pagerduty_ffi" in new and "pagerduty_ffi._native" in new
    imported = [m for m in NOT_AT_IMPORT if m in new]
    assert imported == [], f"imported by `import pagerduty_ffi`: {imported} (all new modules: {new})"


def test_every_public_name_imports_in_a_fresh_interpreter():
    code = (
        "import pagerduty_ffi as pd\n"
        "for name in pd.__all__:\n"
        "    exec(f'from pagerduty_ffi import {name}')\n"
        "ns = {}\n"
        "exec('from pagerduty_ffi import *', ns)\n"
        "missing = [n for n in pd.__all__ if n not in ns]\n"
        "assert not missing, missing\n"
        "print(len(pd.__all__))\n"
    )
    assert int(fresh(code)) == len(pd.__all__)


def test_lazy_names_are_their_modules_objects():
    import pagerduty_ffi.oauth
    import pagerduty_ffi.outbox
    import pagerduty_ffi.webhooks

    assert pd.Outbox is pagerduty_ffi.outbox.Outbox and pd.spool is pagerduty_ffi.outbox.spool
    assert pd.oauth_pkce is pagerduty_ffi.oauth.oauth_pkce and pd.OAuthToken is pagerduty_ffi.oauth.OAuthToken
    assert pd.WebhookRouter is pagerduty_ffi.webhooks.WebhookRouter
    assert pd.WEBHOOK_EVENT_TYPES is pagerduty_ffi.webhooks.WEBHOOK_EVENT_TYPES
    assert pd.outbox is pagerduty_ffi.outbox and pd.webhooks is pagerduty_ffi.webhooks
    assert pd.resources.Incident.__module__ == "pagerduty_ffi.resources"
    assert set(pd.__all__) <= set(dir(pd))


def test_an_unknown_name_is_an_attribute_error():
    try:
        pd.NoSuchThing  # noqa: B018
    except AttributeError as e:
        assert "NoSuchThing" in str(e)
    else:
        raise AssertionError("pd.NoSuchThing did not raise")
    assert not hasattr(pd, "json") and not hasattr(pd, "Optional")


def test_help_shows_the_lazily_imported_names():
    text = fresh("import pydoc, pagerduty_ffi\nprint(pydoc.render_doc(pagerduty_ffi, renderer=pydoc.plaintext))")
    for name in ("class Outbox", "class WebhookRouter", "class OAuthToken", "oauth_pkce(", "spool(", "class EventsClient"):
        assert name in text, name
