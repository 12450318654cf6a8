"""The file to give ``spark-submit``, which runs a ``.py`` file rather than a module.

Its arguments are those of ``veil spark``::

    spark-submit --master yarn "$(python -m veil.spark_submit --path)" \\
        hdfs:///corpus -o hdfs:///redacted --key-file veil.key

``python -m veil.spark_submit --path`` prints this file's path.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--path"]:
        print(os.path.abspath(__file__))
        return
    from veil.cli import cli  # through the group, so errors print as "veil: error: ..." with their exit code

    cli.main(args=["spark", *args], prog_name="veil")


if __name__ == "__main__":
    # Run as a file, this directory heads sys.path and its modules could shadow others.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    main()
