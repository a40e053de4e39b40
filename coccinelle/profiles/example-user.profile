# SPDX-License-Identifier: GPL-2.0
#
# An example of a profile of your own: copy it, change what you need and
# pass PROFILE=/path/to/it (make migrate) or -D safe_profile=/path/to/it
# (spatch, make coccicheck SPFLAGS=...).  Unset keys come from "inherit".
#
# Keys:
#   lock_forms        both | guard | scoped
#   lock_max_lines    0 (no limit) or N: leave locks alone in longer functions
#   guard_max_lines   0 or N: no guard() in longer functions (scoped_guard() ok)
#   lock_types        all, or a comma list of guard classes
#                     (mutex,spinlock,spinlock_irq,spinlock_irqsave,spinlock_bh,
#                      raw_spinlock,raw_spinlock_irq,raw_spinlock_irqsave,
#                      raw_spinlock_bh,rwsem_read,rwsem_write,rcu)
#   free              yes | no   allocations to __free()
#   dma               yes | no   dma_alloc_coherent() to struct safe_dma_buf
#   include           cleanup (<linux/cleanup.h>, in-tree code) or
#                     safe (<linux/safe/guard.h> and <linux/safe/free.h>,
#                     code built through safe on every kernel from 6.1)
#   check_guard_lines the function length check_guard_length.cocci reports
#   missing_classes   guard classes the target kernel lacks (make migrate
#                     fills it in from KSRC)

inherit = default
lock_types = mutex,rwsem_read,rwsem_write
guard_max_lines = 40
include = safe
