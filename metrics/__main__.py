"""`python -m metrics`: see metrics.cli.

A file-reading worker (ingest.guard) is forked before anything else, so it imports its
libraries while this process reads its arguments; and the process ends as soon as the output
is flushed, without tearing down pandas, pyarrow and DuckDB module by module (about 0.1 s on a
100,000-row file; issue 14). A worker left idle reads the end of its input and exits.
"""

import os
import sys

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
