# SPDX-License-Identifier: GPL-2.0
#
# safe - the default profile for a driver that builds through safe.kbuild
# (an out-of-tree module, or one in a tree with safe as drivers/safe):
# <linux/safe/guard.h> and <linux/safe/free.h> backfill every guard class
# and ACQUIRE() from 6.1 on, so the conditional locks of an older target
# kernel convert too.

inherit = default
include = safe
