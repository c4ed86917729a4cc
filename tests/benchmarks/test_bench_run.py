"""`make bench` ends with every target in one list, each judged as its benchmark judged it."""

from benchmarks.run import busy, summary, verdicts

OUTPUT = """\
machine: 2 cores, load average 0.99; workbook staff_only_100000.xlsx: 100,000 staff rows, 10.2 MB
python -m metrics FILE --format json          median  1.25 s  (runs: 1.33, 1.30)
ratio to the floor                             1.52×  target ≤ 1.5×: NOT met
  imports          median  0.16 s  target ≤ 0.30 s: met
  hidden imports   median  0.31 s
upload 10,000 rows (1.1 MB, 6 charts on its overview); first upload on a fresh server: about 2.0 s
  drop to the file sent                          median  0.07 s  (runs: 0.10, 0.06)
  drop to every tile and chart drawn             median  1.74 s  (runs: 1.62, 1.87)  target < 2.0 s: met
staff_100000.xlsx        100,000      0     6.5     1.18    0.35      232  < 4 s, < 2048 MB: MISSED (rows missing!)
staff_10000.csv           10,000      0     1.4     0.17    0.15      155  < 2048 MB: ok
filter / as-of change, 100,000 rows (target < 200 ms)      wall best     48 ms  median    292 ms  OVER (best OK)
overview, first run (loads the demo)               2.19 s
""".splitlines(keepends=True)


def test_each_judged_line_is_kept_with_whether_it_missed():
    judged = verdicts(OUTPUT)
    assert [missed for _, missed in judged] == [True, False, False, True, False, True]
    assert judged[0][0].startswith("ratio to the floor")


def test_a_part_is_named_after_the_case_above_it():
    judged = dict(verdicts(OUTPUT))
    assert "python -m metrics FILE --format json: imports  median  0.16 s  target ≤ 0.30 s: met" in judged
    assert any(line.startswith("upload 10,000 rows: drop to every tile and chart drawn") for line in judged)


def test_lines_without_a_target_are_left_out():
    lines = [line for line, _ in verdicts(OUTPUT)]
    assert not any("hidden imports" in line or "file sent" in line or "overview, first run" in line for line in lines)


def test_the_summary_counts_the_missed_and_says_when_the_machine_was_busy():
    text = summary({"benchmarks.cli_bench": verdicts(OUTPUT)}, 3.1, 2.0, 2)
    assert "3 of 6 targets met" in text
    assert "MISSED  cli_bench: ratio to the floor" in text
    assert "The machine was busy" in text
    quiet = summary({"benchmarks.cli_bench": verdicts(OUTPUT)}, 0.4, 1.9, 2)  # the end counts the benchmarks' own work
    assert "busy" not in quiet


def test_busy_is_a_load_average_over_half_the_cores():
    assert not busy(1.0, 2)
    assert busy(1.01, 2)
    assert busy(2.5, 4)
