"""What the project's Python scripts share with each other and with lib.sh.

Exit statuses (as lib.sh's die and fail): 0 all well, 1 a check found a
problem, 2 a setup error (a missing file or package, a bad argument).
argparse already exits 2 on a bad argument; run_main() does the same for
SetupError and OSError, with one "ERROR: ..." line instead of a traceback,
and for any other exception (a bug of ours), after its traceback.
"""
import os
import sys
import time
import traceback

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXIT_FAIL = 1
EXIT_SETUP = 2
# The identity of commits in build/linux (lib.sh: GIT_IDENT_NAME/EMAIL).
GIT_IDENT_NAME = os.environ.get("GIT_IDENT_NAME", "HMM Series Developers")
GIT_IDENT_EMAIL = os.environ.get("GIT_IDENT_EMAIL", "hmm-series@example.org")


class SetupError(Exception):
    """Something the run needs is missing or wrong: exit 2, not 1."""


def series_patches(top=TOP):
    """The patch file names that `series` lists, in order (lib.sh: series_patches)."""
    out = []
    with open(os.path.join(top, "series")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line.split()[0])
    return out


def log(msg):
    """A progress line on stderr, as lib.sh's log: [HH:MM:SS] MSG."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_main(main, *args):
    """Exit with main()'s status; a SetupError or OSError exits 2 with its
    message, and any other exception (a bug in the script, not a finding)
    exits 2 with its traceback."""
    try:
        rc = main(*args)
    except (SetupError, OSError) as e:
        print(f"ERROR: {e}", file=sys.stderr)
        sys.exit(EXIT_SETUP)
    except Exception:  # noqa: BLE001 - any other exception is our bug
        traceback.print_exc()
        print(f"ERROR: {os.path.basename(sys.argv[0])} failed with the traceback above",
              file=sys.stderr)
        sys.exit(EXIT_SETUP)
    sys.exit(rc)
