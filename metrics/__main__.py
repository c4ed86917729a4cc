"""`python -m metrics`: see metrics.cli.

Arranged for speed (issue 14, measured on two cores):

- pyarrow and fastexcel are imported first, then the file-reading worker (ingest.guard) is
  forked, so it starts with both already loaded: its parse is the longest step, and it no
  longer shares a core with its own imports while this process imports pandas and DuckDB;
- the process ends as soon as its output is flushed, without tearing down pandas, pyarrow and
  DuckDB module by module (about 0.1 s on a 100,000-row file). A worker left idle reads the end
  of its input and exits.
"""

import os
import sys

import fastexcel  # noqa: F401 - before the fork: the worker needs both, and shares them
import pyarrow  # noqa: F401

from ingest import guard

guard.fork_worker()

from metrics.cli import main  # noqa: E402 - after the worker is on its way

code = main()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except BrokenPipeError:  # output piped into `head`: not an error
        pass
os._exit(code)
