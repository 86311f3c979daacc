"""Made-up bench runs for the host tests of scripts/bench-report.py.

write_run(DIR, {kernel: {metric: [value, ...]}}, paired=False) writes
DIR/KERNEL-1/{accel,ktap.log} as one boot (or round) of bench.sh would,
with one HMM-BENCH line per value, in the order given; read_fault rows
are 32 MiB, the others 16 MiB. paired=True marks DIR as a --paired run.
"""
import json
import os


def write_run(d, samples, paired=False):
    for kernel, metrics in samples.items():
        boot = f"{d}/{kernel}-1"
        os.makedirs(boot)
        with open(f"{boot}/accel", "w") as f:
            f.write("tcg\n")
        with open(f"{boot}/ktap.log", "w") as f:
            f.write("# hmm-runner: cpus 2\n")
            for metric, values in metrics.items():
                size = 32 if metric == "read_fault" else 16
                for x in values:
                    f.write("    # HMM-BENCH " + json.dumps(
                        {"metric": metric, "backing": "4k", "size_mib": size,
                         "unit": "pages/s", "value": x}) + "\n")
    if paired:
        with open(f"{d}/mode", "w") as f:
            f.write("paired\n")
