# SPDX-License-Identifier: GPL-2.0
#
# netdev - Documentation/process/maintainer-netdev.rst: guard() is
# discouraged in functions over 20 lines and scoped_guard() preferred;
# __free() is discouraged in drivers.  So: scoped_guard() only, no
# __free(), and nothing at all in functions over 20 lines.

inherit = default
lock_forms = scoped
lock_max_lines = 20
free = no
check_guard_lines = 20
