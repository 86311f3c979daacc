"""Unit tests of scripts/results.py's console scan, on made-up consoles."""
import os
import sys
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "scripts"))
import results  # noqa: E402  (the path is set just above)

NOTE = ["[   76.92] FAULT_FLAG_ALLOW_RETRY missing 880",
        "[   76.92] CPU: 0 UID: 0 PID: 34 Comm: kworker/u9:1 Not tainted",
        "[   76.93] Workqueue: events_unbound dmirror_fault_work_fn",
        "[   76.93] Call Trace:",
        "[   76.93]  <TASK>",
        "[   76.93]  dump_stack_lvl+0x7c/0x90",
        "[   76.93]  handle_userfault+0x153f/0x2610",
        "[   76.93]  </TASK>"]
START = "[   76.80] hmm-runner: start hmm-tests hmm.x.uffd_worker_read"


class ScanConsole(unittest.TestCase):
    def test_allow_retry_note_is_not_a_splat(self):
        self.assertEqual(results.scan_console([START] + NOTE), [])

    def test_bare_call_trace_is_a_splat(self):
        splats = results.scan_console([START] + NOTE[1:])
        self.assertEqual(len(splats), 1)
        self.assertEqual(splats[0]["line"], "Call Trace (no header)")
        self.assertEqual(splats[0]["test"], "hmm.x.uffd_worker_read")

    def test_warning_after_a_note_is_a_splat(self):
        lines = [START] + NOTE + [
            "[   77.00] WARNING: CPU: 1 PID: 9 at mm/hmm.c:1 f+0x1/0x2",
            "[   77.00] Call Trace:"]
        splats = results.scan_console(lines)
        self.assertEqual([s["line"] for s in splats],
                         ["WARNING: CPU: 1 PID: 9 at mm/hmm.c:1 f+0x1/0x2"])

    def test_note_must_be_the_whole_line(self):
        lines = [START, "[   76.92] FAULT_FLAG_ALLOW_RETRY missing 880 and more",
                 "[   76.93] Call Trace:"]
        self.assertEqual(len(results.scan_console(lines)), 1)


if __name__ == "__main__":
    unittest.main()
