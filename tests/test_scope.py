"""Unit: accounts.scope.within — the one function every dashboard read passes through: a named unit outside the
person's units is refused, a `units` argument becomes theirs, and nobody signed in gets nothing."""

import pytest

from jixiao_core.accounts.actor import NOBODY, Actor
from jixiao_core.accounts.scope import within
from jixiao_core.errors import InputError

LIMITED = Actor("甲街道领导", "viewer", ("甲街道",))
TWO = Actor("两街道经办人", "clerk", ("甲街道", "乙街道"))
EVERYONE = Actor("区财政局", "viewer")
ADMIN = Actor("管理员", "admin")
PARAMS = ("unit", "year", "version")
MULTI = ("year", "units", "version")


@pytest.mark.parametrize(
    "actor, params, args, expected",
    [
        (LIMITED, PARAMS, ("甲街道", 2023, ("db", 1)), ("甲街道", 2023, ("db", 1))),
        (LIMITED, MULTI, (2023, (), ("db", 1)), (2023, ("甲街道",), ("db", 1))),
        (TWO, MULTI, (2023, (), ("db", 1)), (2023, ("甲街道", "乙街道"), ("db", 1))),
        (TWO, MULTI, (2023, ("乙街道",), ("db", 1)), (2023, ("乙街道",), ("db", 1))),
        (EVERYONE, PARAMS, ("乙街道", 2023, ("db", 1)), ("乙街道", 2023, ("db", 1))),
        (EVERYONE, MULTI, (2023, (), ("db", 1)), (2023, (), ("db", 1))),
        (ADMIN, MULTI, (2023, (), ("db", 1)), (2023, (), ("db", 1))),
        (LIMITED, ("unit", "version"), (None, ("db", 1)), (None, ("db", 1))),  # no unit chosen yet
    ],
)
def test_arguments_within_the_persons_units(actor, params, args, expected):
    assert within(actor, params, args) == expected


@pytest.mark.parametrize(
    "actor, params, args, message",
    [
        (LIMITED, PARAMS, ("乙街道", 2023, ("db", 1)), "无权查看该单位"),
        (LIMITED, MULTI, (2023, ("甲街道", "乙街道"), ("db", 1)), "无权查看该单位"),
        (NOBODY, PARAMS, ("甲街道", 2023, ("db", 1)), "请先登录"),
        (NOBODY, MULTI, (2023, (), ("db", 1)), "请先登录"),
    ],
)
def test_arguments_outside_the_persons_units_are_refused(actor, params, args, message):
    with pytest.raises(InputError) as err:
        within(actor, params, args)
    assert str(err.value) == message
