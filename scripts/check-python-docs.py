#!/usr/bin/env python3
"""Every public name of pagerduty_ffi has a docstring: each name in __all__, and every public
method and property of its classes. Exits 1 listing the undocumented ones (make docs)."""
import inspect
import sys
import typing

import pagerduty_ffi as pd

missing = []
for name in pd.__all__:
    obj = getattr(pd, name)
    if isinstance(obj, (tuple, list, str, int)):
        continue  # constants (OPERATIONS) are described in the module docstring
    if typing.get_origin(obj) is typing.Literal:
        continue  # Literal aliases (WebhookEventType) have no docstring of their own: their module's describes them
    if not inspect.getdoc(obj):
        missing.append(name)
    if inspect.isclass(obj) and not issubclass(obj, BaseException):
        for attr, member in vars(obj).items():
            if attr.startswith("_"):
                continue
            if callable(member) or isinstance(member, property):
                if not inspect.getdoc(getattr(obj, attr)):
                    missing.append(f"{name}.{attr}")
if missing:
    print("undocumented:", ", ".join(missing), file=sys.stderr)
    sys.exit(1)
print(f"pagerduty_ffi: {len(pd.__all__)} public names documented")
