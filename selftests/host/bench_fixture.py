"""Made-up bench runs for the host tests of scripts/bench-report.py.

write_run(DIR, {kernel: {metric: [value, ...]}}, mode="") writes
DIR/KERNEL-1/{accel,ktap.log} as one boot (or round) of bench.sh would,
with one HMM-BENCH line per value, in the order given; read_fault rows
are 32 MiB, the others 16 MiB. mode "paired" marks DIR as a --paired
run, "icount" as an --icount one (accel icount, one vCPU).
"""
import json
import os


def write_run(d, samples, mode=""):
    for kernel, metrics in samples.items():
        boot = f"{d}/{kernel}-1"
        os.makedirs(boot)
        with open(f"{boot}/accel", "w") as f:
            f.write("icount\n" if mode == "icount" else "tcg\n")
        with open(f"{boot}/ktap.log", "w") as f:
            f.write(f"# hmm-runner: cpus {1 if mode == 'icount' else 2}\n")
            for metric, values in metrics.items():
                size = 32 if metric == "read_fault" else 16
                for x in values:
                    f.write("    # HMM-BENCH " + json.dumps(
                        {"metric": metric, "backing": "4k", "size_mib": size,
                         "unit": "pages/s", "value": x}) + "\n")
    if mode:
        with open(f"{d}/mode", "w") as f:
            f.write(mode + "\n")
