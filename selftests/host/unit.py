#!/usr/bin/env python3
"""unit.py - run the host unit tests (selftests/host/test_*.py), one line each.

Usage: selftests/host/unit.py

Prints "ok - ID", "FAIL - ID: why" or "SKIP - ID: reason" for every test
(ID is module.Class.test), then each failure's traceback, whose assertion
message says which condition failed. Exits 1 if any test failed or
errored; a skip is listed, and run.sh counts it as a failure, since
nothing here has a reason to skip.
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class LineResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.lines = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.lines.append(f"ok - {test.id()}")

    def _bad(self, test, err):
        last = self._exc_info_to_string(err, test).strip().splitlines()[-1]
        self.lines.append(f"FAIL - {test.id()}: {last}")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._bad(subtest, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.lines.append(f"SKIP - {test.id()}: {reason}")


def main():
    if len(sys.argv) > 1:
        print(__doc__.strip())
        return 0 if sys.argv[1] in ("-h", "--help") else 2
    sys.dont_write_bytecode = True
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = LineResult()
    suite.run(result)
    print("\n".join(result.lines))
    for test, tb in result.failures + result.errors:
        print(f"\n==== {test.id()}\n{tb}")
    return 0 if result.wasSuccessful() and not result.skipped else 1


if __name__ == "__main__":
    sys.exit(main())
