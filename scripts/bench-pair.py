#!/usr/bin/env python3
"""Hand out turns to two benchmark guests, one per kernel, that run together.

Usage: scripts/bench-pair.py --socket NAME=PATH --socket NAME=PATH
                             [--first NAME] [--timeout S] [--boot-timeout S]
                             [--ready FILE]

Listens on two unix sockets, to which QEMU connects each guest's ttyS2
(scripts/boot.sh --turns); --ready FILE is created once both listen.
selftests/bench/hmm-bench.c run with -y writes 'r' there before its first
sample and after each one, then waits for 'g'; it writes 'e' when it is
done. Once both guests are ready, this lets one
guest take one step (up to its next 'r'), then the other, swapping which
goes first at every step (ABBA), so the two kernels' samples of a metric
are taken seconds apart and under the same load on the host, one guest
running while the other waits idle.

Fails (exit 1, naming the guest and the step) when a guest goes away, does
not answer within --timeout seconds (--boot-timeout for the first 'r'), or
ends while the other still has samples to take. Prints progress every 30 s.
"""
import argparse
import os
import select
import socket
import time
from hmmcommon import log, run_main


class Guest:
    def __init__(self, name, path):
        self.name, self.path = name, path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(path):
            os.unlink(path)
        self.listener.bind(path)
        self.listener.listen(1)
        self.conn = None
        self.steps, self.busy = 0, 0.0

    def accept(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self.listener], [], [], left)[0]:
            raise SystemExit(f"bench-pair: the {self.name} guest never connected to {self.path}")
        self.conn, _ = self.listener.accept()

    def wait(self, timeout, step):
        """The next 'r' or 'e' of this guest, ignoring any other byte."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.conn], [], [], left)[0]:
                raise SystemExit(f"bench-pair: the {self.name} guest did not answer "
                                 f"within {timeout:g}s at step {step}")
            data = self.conn.recv(1)
            if not data:
                raise SystemExit(f"bench-pair: the {self.name} guest went away at step {step}")
            if data in (b"r", b"e"):
                return data.decode()

    def go(self, timeout, step):
        t0 = time.monotonic()
        self.conn.sendall(b"g")
        said = self.wait(timeout, step)
        self.steps += 1
        self.busy += time.monotonic() - t0
        return said

    def close(self):
        for s in (self.conn, self.listener):
            if s:
                s.close()
        if os.path.exists(self.path):
            os.unlink(self.path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", action="append", required=True, metavar="NAME=PATH",
                    help="a guest's name and the Unix socket it connects to (twice)")
    ap.add_argument("--first", type=str, help="the guest that goes first at step 0")
    ap.add_argument("--timeout", type=float, default=600, metavar="S",
                    help="seconds a guest may take for one step (default 600)")
    ap.add_argument("--boot-timeout", type=float, default=900, metavar="S",
                    help="seconds a guest may take to connect (default 900)")
    ap.add_argument("--ready", type=str, help="a file to create once both sockets listen")
    a = ap.parse_args()
    if len(a.socket) != 2 or any("=" not in s for s in a.socket):
        ap.error("give exactly two --socket NAME=PATH")
    guests = [Guest(*s.split("=", 1)) for s in a.socket]
    if a.first and a.first == guests[1].name:
        guests.reverse()
    elif a.first and a.first != guests[0].name:
        ap.error(f"--first {a.first}: not one of the guests")
    if a.ready:
        open(a.ready, "w").close()
    try:
        deadline = time.monotonic() + a.boot_timeout
        for g in guests:
            g.accept(deadline)
        for g in guests:
            said = g.wait(max(1.0, deadline - time.monotonic()), 0)
            if said != "r":
                raise SystemExit(f"bench-pair: the {g.name} guest ended before its first step")
        log(f"bench-pair: both guests ready, {guests[0].name} first")
        t0 = last = time.monotonic()
        step = 0
        while True:
            order = guests if step % 2 == 0 else guests[::-1]
            said = [g.go(a.timeout, step) for g in order]
            step += 1
            if said[0] != said[1]:
                ended = order[said.index("e")].name
                raise SystemExit(f"bench-pair: the {ended} guest ended at step {step} "
                                 f"while the other went on: the two runs do not match")
            if said[0] == "e":
                break
            if time.monotonic() - last >= 30:
                last = time.monotonic()
                log("bench-pair: " + ", ".join(
                    f"{g.name} {g.steps} steps ({g.busy:.0f}s)" for g in guests) +
                    f"; {last - t0:.0f}s")
        log(f"bench-pair: done, {step} steps each in {time.monotonic() - t0:.0f}s (" +
            ", ".join(f"{g.name} busy {g.busy:.0f}s" for g in guests) + ")")
    finally:
        for g in guests:
            g.close()
    return 0


if __name__ == "__main__":
    run_main(main)
