# SPDX-License-Identifier: GPL-2.0
#
# default - what a careful maintainer of most subsystems would accept.
#
# guard() where the lock is held to the end of its block, scoped_guard()
# where work follows the critical section; __free() for allocations freed
# on every path; owned DMA buffers; <linux/cleanup.h> for the macros.

lock_forms = both
lock_max_lines = 0
guard_max_lines = 0
lock_types = all
free = yes
dma = yes
include = cleanup
check_guard_lines = 20
