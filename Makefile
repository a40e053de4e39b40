# SPDX-License-Identifier: GPL-2.0
#
# safe - scope guards, revocable device resources and owned DMA buffers for
# Linux drivers.
#
#   make [KDIR=...]	build safe.ko out of tree
#   make check		install what is missing, then run every check
#   make demo [SERIES=6.1|6.12|7.3]
#			boot Debian's kernel (6.12) in QEMU, show safe at work
#   make bench [RUNS=3] [ROUNDS=11]
#			code-size and speed comparisons, UML and QEMU TCG
#   make migrate DIR=<driver dir> [KSRC=<kernel tree>] [PROFILE=...]
#			convert a driver to guards, __free() and owned DMA
#			buffers: a patch series (Documentation/migration.rst)
#   make eval-migrate [PHASE=...] [NEW=<7.3 tree>]
#			the migration rules on 300 real drivers, drivers/,
#			the maintainers' 6.12 -> 7.3 history; the checkers
#
# KDIR defaults to the running kernel's build directory, else the installed
# Debian 6.12 headers.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build/Makefile) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64/Makefile))))
override KDIR := $(patsubst %/Makefile,%,$(KDIR))

.PHONY: all modules clean check demo bench migrate eval-migrate

all: modules

modules:
	@test -n "$(KDIR)" || { echo "No kernel build directory: install linux-headers or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf .safe

check:
	@bash scripts/check.sh

demo:
	@bash scripts/demo.sh $(SERIES)

bench:
	@bash scripts/bench.sh $(RUNS) $(ROUNDS)

migrate:
	@DIR="$(DIR)" KSRC="$(KSRC)" KDIR="$(KDIR)" PROFILE="$(PROFILE)" \
		OUT="$(OUT)" RULES="$(RULES)" bash scripts/migrate.sh

eval-migrate:
	@KSRC="$(KSRC)" NEW="$(NEW)" FILES="$(FILES)" PHASE="$(PHASE)" bash scripts/eval-migrate.sh
