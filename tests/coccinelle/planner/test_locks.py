# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the lock rule family's decisions (coccinelle/safeplan/
locks.py): the shared section walk, the guard()/scoped_guard() choice, the
shapes of conditional locks."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'coccinelle'))
from safeplan import cfront, locks, plan, profile  # noqa: E402


def decide(body, prof=None, params='struct foo *f'):
	"""{line of the lock statement: (kind, reason)} for one function."""
	src = 'int fn(%s)\n{\n%s}\n' % (params, body)
	cf = cfront.CFile('t.c', src)
	p = plan.Plan('t.c')
	locks.plan_locks(cf, profile.load_profile('default', prof or {}), p)
	return dict((line - 2, (kind, why)) for line, fn, what, kind, why in p.report)


class Walk(unittest.TestCase):
	def test_guard_when_held_to_the_end(self):
		d = decide('\tmutex_lock(&f->lock);\n\tif (f->a) {\n\t\tmutex_unlock(&f->lock);\n'
			   '\t\treturn -EINVAL;\n\t}\n\tf->b++;\n\tmutex_unlock(&f->lock);\n\treturn 0;\n')
		self.assertEqual(d[1][0], 'guard')

	def test_scoped_when_work_follows(self):
		d = decide('\tmutex_lock(&f->lock);\n\tf->b++;\n\tmutex_unlock(&f->lock);\n'
			   '\tfoo_notify(f);\n\treturn 0;\n')
		self.assertEqual(d[1], ('scoped', 'work follows the critical section'))

	def test_held_on_return_is_skipped(self):
		d = decide('\tmutex_lock(&f->lock);\n\tif (f->a)\n\t\treturn -EBUSY;\n'
			   '\tmutex_unlock(&f->lock);\n\treturn 0;\n')
		self.assertEqual(d[1][0], 'skip')
		self.assertIn('returns with the lock held', d[1][1])

	def test_unlocked_twice_is_skipped(self):
		d = decide('\tmutex_lock(&f->lock);\n\tif (f->a)\n\t\tmutex_unlock(&f->lock);\n'
			   '\tmutex_unlock(&f->lock);\n\treturn 0;\n')
		self.assertEqual(d[1][0], 'skip')
		self.assertIn('unlocked twice', d[1][1])

	def test_break_would_bind_to_scoped_guard(self):
		d = decide('\tint i;\n\n\tfor (i = 0; i < 4; i++) {\n\t\tmutex_lock(&f->lock);\n'
			   '\t\tif (f->a[i]) {\n\t\t\tmutex_unlock(&f->lock);\n\t\t\tbreak;\n\t\t}\n'
			   '\t\tmutex_unlock(&f->lock);\n\t\tfoo_notify(f);\n\t}\n\treturn 0;\n')
		self.assertEqual(d[4][0], 'skip')
		self.assertIn('bind to scoped_guard()', d[4][1])

	def test_guard_preferred_where_both_fit(self):
		# both forms are correct: the maintainers' 6.12 -> 7.3 habit is guard()
		d = decide('\tint v;\n\n\tmutex_lock(&f->lock);\n\tv = f->a;\n\tmutex_unlock(&f->lock);\n\treturn v;\n')
		self.assertEqual(d[3][0], 'guard')

	def test_goto_unwinding_kept_for_a_lock_is_not_mixed(self):
		d = decide('\tint ret = 0;\n\n\tmutex_lock(&f->lock);\n\tf->a = 1;\n\tmutex_unlock(&f->lock);\n'
			   '\tfoo_prepare(f);\n\tmutex_lock(&f->lock);\n\tif (f->b) {\n\t\tret = -EINVAL;\n'
			   '\t\tgoto out;\n\t}\n\tf->b = 1;\n\tfoo_log(f);\nout:\n\tmutex_unlock(&f->lock);\n'
			   '\tfoo_notify(f);\n\treturn ret;\n')
		self.assertEqual(d[3][0], 'skip')
		self.assertIn('goto unwinding', d[3][1])


class Conditional(unittest.TestCase):
	def test_test_shape_scoped(self):
		d = decide('\tif (mutex_lock_interruptible(&f->lock))\n\t\treturn -ERESTARTSYS;\n'
			   '\tf->a++;\n\tmutex_unlock(&f->lock);\n\tfoo_notify(f);\n\treturn 0;\n')
		self.assertEqual(d[1][0], 'scoped')

	def test_assign_shape_needs_ret_written_again(self):
		body = ('\tint ret;\n\n\tret = mutex_lock_killable(&f->lock);\n\tif (ret)\n\t\treturn ret;\n'
			'\tf->a++;\n\tmutex_unlock(&f->lock);\n\tfoo_notify(f);\n\treturn ret;\n')
		d = decide(body)
		self.assertEqual(d[3][0], 'skip')
		self.assertIn('ret is read after the lock', d[3][1])

	def test_acquire_where_held_to_the_end(self):
		d = decide('\tint ret;\n\n\tret = mutex_lock_killable(&f->lock);\n\tif (ret)\n\t\treturn ret;\n'
			   '\tf->a++;\n\tmutex_unlock(&f->lock);\n\treturn ret;\n')
		self.assertEqual(d[3], ('guard', 'ACQUIRE(): held to the end of its block'))

	def test_no_acquire_on_a_kernel_without_it(self):
		d = decide('\tint ret;\n\n\tret = mutex_lock_killable(&f->lock);\n\tif (ret)\n\t\treturn ret;\n'
			   '\tf->a++;\n\tmutex_unlock(&f->lock);\n\treturn ret;\n',
			   {'missing_classes': 'ACQUIRE'})
		self.assertEqual(d[3][0], 'skip')
		self.assertIn('no ACQUIRE()', d[3][1])

	def test_trylock_needs_the_negated_test(self):
		d = decide('\tif (mutex_trylock(&f->lock))\n\t\treturn -EBUSY;\n\tmutex_unlock(&f->lock);\n\treturn 0;\n')
		self.assertEqual(d, {})		# not a conditional lock shape: left alone

	def test_failure_branch_of_two_statements(self):
		d = decide('\tif (down_read_interruptible(&f->sem)) {\n\t\tfoo_log(f);\n\t\treturn -EINTR;\n\t}\n'
			   '\tf->a++;\n\tup_read(&f->sem);\n\treturn 0;\n')
		self.assertEqual(d[1][0], 'skip')
		self.assertIn('more than one return or goto', d[1][1])


if __name__ == '__main__':
	unittest.main()
