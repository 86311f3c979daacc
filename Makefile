# Entry points of the HMM series. See README.md; `make help` lists them.
# A target's help is the `## ` comment on its line, under the last `##@`
# group heading above it.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
S := scripts

.PHONY: all help deps fetch tree apply build initramfs run test export boot \
	repin shellcheck series-check quilt-check host-tests kernel-src-test clean \
	check mbox bench gate-trial drivers retest wip mm-selftests stages lint status

##@ Run and test

all: run ## the same as make run

run: initramfs ## apply, build, boot and test the series (the main job)
	$(S)/guest-test.sh --name patched

test: ## the gate CI runs (STAGES=, SKIP_STAGES=; make stages)
	$(S)/test.sh $(if $(STAGES),--only "$(STAGES)") $(if $(SKIP_STAGES),--skip "$(SKIP_STAGES)")

stages: ## list make test's stages, what each needs and runs
	@$(S)/test.sh --list

status: ## the latest figures, read from build/ (runs nothing)
	@python3 $(S)/status.py

lint: ## shellcheck, pyflakes, the series check and the host tests (< 1 min)
	$(S)/lint.sh

retest: deps ## build/linux as it stands: build, boot, test (RETEST_ARGS=)
	$(S)/retest.sh $(RETEST_ARGS)

wip: apply ## the series + wip/*.patch on the debug kernel: build, boot, wip/tests
	$(S)/wip-test.sh

gate-trial: apply ## a broken scratch patch must fail the run (TRIAL_ARGS=)
	$(S)/gate-trial.sh $(TRIAL_ARGS)

boot: initramfs ## interactive guest on the patched kernel (GDB=1: gdb stub)
	$(S)/boot.sh --name patched --mode shell $(if $(filter 1,$(GDB)),--gdb)

##@ Develop the series

apply tree: fetch ## build/linux = base + the series, for development
	$(S)/apply.sh

export: ## build/linux base..HEAD -> patches/ and series
	$(S)/export.sh

build: apply ## build the patched kernel
	$(S)/build.sh --name patched

initramfs: build ## pack the guest initramfs with the selftests
	$(S)/initramfs.sh --name patched

fetch: deps ## fetch the pinned base into build/linux (or KERNEL_SRC=)
	$(S)/fetch.sh

deps: ## install the Debian packages the project needs
	$(S)/deps.sh

repin: deps ## pin the newest Debian linux-source-6.12 (configs/base.pin)
	$(S)/fetch.sh --repin

clean: ## remove build/
	rm -rf build

##@ Checks (each is also a stage of make test)

check: fetch ## per-patch upstream checks (CHECKS=msg,kdoc PATCHES=40-47)
	$(S)/check.sh $(if $(CHECKS),--only "$(CHECKS)") $(if $(PATCHES),--patches "$(PATCHES)")

mbox: apply ## build/mbox/NAME-vN.mbox for linux-mm, checked (MBOX_ARGS=)
	$(S)/mbox.sh --check $(MBOX_ARGS)

drivers: apply ## compile the converted nouveau, RDMA ODP, xe and amdgpu files
	$(S)/drivers.sh

mm-selftests: apply ## the mm selftests on stock and patched: no new failure
	$(S)/mm-selftests.sh

quilt-check: apply ## the series applies with quilt, same tree as git am
	$(S)/quilt-check.sh

kernel-src-test: apply ## the KERNEL_SRC= path gives the same tree
	$(S)/kernel-src-test.sh

series-check: ## series and patches/ agree
	$(S)/series-check.sh

shellcheck: ## shellcheck every script
	$(S)/shellcheck.sh

host-tests: ## the host-side tests of our tooling
	selftests/host/run.sh

##@ Measure

bench: fetch ## stock against patched, one run (BENCH_ARGS=--quick)
	$(S)/bench.sh $(BENCH_ARGS)

##@ Help

help: ## this list
	@awk -f $(S)/make-help.awk $(MAKEFILE_LIST)
