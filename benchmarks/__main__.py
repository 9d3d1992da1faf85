"""``python -m benchmarks``: the benchmark suite (see run.py)."""
import sys

from .run import main

sys.exit(main())
