"""Unit: the 自评表 workbook reader under Hypothesis — whatever the workbook, reading and scoring it ends in a table
or the one named error (InputError), never another exception. The soak run of 10,000+ cases, with each case's time,
is benchmarks/bench_fuzz_workbook.py."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.workbook_strategies import built_workbooks, mutated_workbooks, read_and_score

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@FUZZ
@given(built_workbooks())
def test_a_workbook_written_cell_by_cell_gives_a_table_or_an_input_error(data):
    assert isinstance(read_and_score(data), str)


@FUZZ
@given(mutated_workbooks())
def test_a_damaged_real_workbook_gives_a_table_or_an_input_error(data):
    assert isinstance(read_and_score(data), str)
