"""The one function every read of the dashboard passes through: a question's arguments, narrowed to what the
person acting may see. A named `unit` outside their units is refused ("无权查看该单位"); a `units` tuple (the
multi-unit questions: () = every unit) becomes the units they may see; nobody signed in gets nothing.
"""

from __future__ import annotations

from jixiao_core.accounts.actor import NOT_YOURS, SIGN_IN_FIRST, Actor
from jixiao_core.errors import InputError

UNIT, UNITS = "unit", "units"


def within(actor: Actor, params: tuple[str, ...], args: tuple) -> tuple:
    """Return `args` (named by `params`, in order) within `actor`'s units; raise InputError when outside them."""
    if actor.role is None:
        raise InputError(None, SIGN_IN_FIRST)
    if not actor.limited:
        return args
    out = list(args)
    for i, (name, value) in enumerate(zip(params, args, strict=False)):
        if name == UNIT and value is not None and not actor.sees(value):
            raise InputError(None, NOT_YOURS)
        if name == UNITS:
            asked = tuple(value or ())
            allowed = tuple(u for u in asked if actor.sees(u)) if asked else actor.units
            if asked and len(allowed) < len(asked):
                raise InputError(None, NOT_YOURS)
            out[i] = allowed
    return tuple(out)
