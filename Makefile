# Entry points of the HMM series. See README.md.
#   make run      apply, build, boot and test the series (the main job)
#   make test     the gate CI runs
#   make tree     build/linux = base + the series, for development
#   make export   build/linux base..HEAD -> patches/ and series
#   make boot     interactive guest on the patched kernel (GDB=1: gdb stub)
#   make check    per-patch upstream checks (checkpatch, bisect build, ...)
#   make mbox     build/mbox/NAME-vN.mbox for linux-mm, checked
#   make bench    stock against patched, one run (BENCH_ARGS=--quick)
#   make drivers  compile the converted nouveau, RDMA ODP, xe and amdgpu files
#   make gate-trial  a broken scratch patch must fail the run (TRIAL_ARGS=)
#   make retest   build/linux as it stands: build, boot, test (RETEST_ARGS=)
#   make mm-selftests  the mm selftests on stock and patched: no new failure
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
S := scripts

.PHONY: all help deps fetch tree apply build initramfs run test export boot \
	repin shellcheck series-check quilt-check host-tests kernel-src-test clean \
	check mbox bench gate-trial drivers retest mm-selftests

all: run

help:
	@sed -n '2,14s/^# //p' Makefile

deps:
	$(S)/deps.sh

fetch: deps
	$(S)/fetch.sh

repin: deps
	$(S)/fetch.sh --repin

apply tree: fetch
	$(S)/apply.sh

build: apply
	$(S)/build.sh --name patched

initramfs: build
	$(S)/initramfs.sh --name patched

run: initramfs
	$(S)/guest-test.sh --name patched

boot: initramfs
	$(S)/boot.sh --name patched --mode shell $(if $(filter 1,$(GDB)),--gdb)

export:
	$(S)/export.sh

check: fetch
	$(S)/check.sh

mbox: apply
	$(S)/mbox.sh --check

bench: fetch
	$(S)/bench.sh $(BENCH_ARGS)

gate-trial: apply
	$(S)/gate-trial.sh $(TRIAL_ARGS)

drivers: apply
	$(S)/drivers.sh

retest: deps
	$(S)/retest.sh $(RETEST_ARGS)

mm-selftests: apply
	$(S)/mm-selftests.sh

shellcheck:
	$(S)/shellcheck.sh

series-check:
	$(S)/check-series.sh

quilt-check: apply
	$(S)/quilt-check.sh

host-tests:
	selftests/host/run.sh

kernel-src-test: apply
	$(S)/kernel-src-test.sh

test:
	$(S)/test.sh

clean:
	rm -rf build
