"""The type variable of ``_Handle.__enter__`` (``with EventsClient(...) as ev`` is typed as the
class), made on first use: importing the package does not import typing (issue 17), and
``typing.get_type_hints`` still resolves the annotation ``_tv._H`` through this module."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    from . import _Handle

    _H = TypeVar("_H", bound=_Handle)
else:

    def __getattr__(name):
        if name != "_H":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        global _H
        from typing import TypeVar

        from . import _Handle

        _H = TypeVar("_H", bound=_Handle)
        return _H
