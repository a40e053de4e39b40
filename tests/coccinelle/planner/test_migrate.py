# SPDX-License-Identifier: GPL-2.0
"""Unit tests of make migrate's driver (coccinelle/migrate.py): which
files it runs a rule on, the settings it gives each rule, and the report
lines it keeps."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'coccinelle'))
import migrate  # noqa: E402


class Candidates(unittest.TestCase):
	def test_conditional_lock_alone_is_a_candidate(self):
		lk = migrate.RULE_CANDIDATE['lock_guard']
		self.assertTrue(lk.search('\tif (mutex_lock_interruptible(&d->lock))\n'))
		self.assertTrue(lk.search('\tif (!spin_trylock(&d->lock))\n'))
		self.assertTrue(lk.search('\tspin_lock_irqsave(&d->lock, flags);\n'))
		self.assertFalse(lk.search('\tmutex_unlock(&d->lock);\n'))


class Settings(unittest.TestCase):
	def settings(self, profile, rule):
		class Args:
			pass
		a = Args()
		a.profile = profile
		a.missing = ''
		return migrate.rule_settings(a, 'r', 'e', rule)

	def test_profile_safe_includes_safe_guard_h(self):
		self.assertIn('safe_include', self.settings('safe', 'lock_guard'))
		self.assertNotIn('safe_include', self.settings('default', 'lock_guard'))

	def test_only_the_lock_rule_takes_safe_include(self):
		# dma_buf.cocci and free_ptr.cocci declare no such virtual rule:
		# spatch refuses the whole run
		self.assertNotIn('safe_include', self.settings('safe', 'dma_buf'))
		self.assertNotIn('safe_include', self.settings('safe', 'free_ptr'))


class ReportLines(unittest.TestCase):
	def test_line_map_skips_lines_earlier_rules_removed(self):
		orig = 'a\nlock\nb\nunlock\nc\nalloc\n'
		seen = 'a\nguard\nb\nc\nalloc\n'
		where = migrate.line_map(seen, orig)
		self.assertEqual(where(1), 1)
		self.assertEqual(where(2), 2)	# a changed line: its block's start
		self.assertEqual(where(5), 6)	# "alloc" in the original

	def test_original_lines_rewrites_only_what_the_rule_added(self):
		with tempfile.TemporaryDirectory() as td:
			orig_root = os.path.join(td, 'orig')
			new_root = os.path.join(td, 'new')
			for r in (orig_root, new_root):
				os.makedirs(r)
			with open(os.path.join(orig_root, 'x.c'), 'w') as f:
				f.write('a\nlock\nunlock\nalloc\n')
			report = os.path.join(td, 'report.tsv')
			first = 'locks\t%s/x.c:2\tfn\tlock\tguard\twhy\n' % new_root
			with open(report, 'w') as f:
				f.write(first)
			mark = os.path.getsize(report)
			with open(report, 'a') as f:
				f.write('free\t%s/x.c:3\tfn\talloc\tdevm\twhy\n' % new_root)
			migrate.original_lines(report, mark, {'x.c': 'a\nguard\nalloc\n'}, orig_root, new_root)
			with open(report) as f:
				lines = f.read().splitlines(True)
			self.assertEqual(lines[0], first)
			self.assertIn('/x.c:4\t', lines[1])

	def test_forget_sites_drops_a_redone_file(self):
		with tempfile.TemporaryDirectory() as td:
			new_root = os.path.join(td, 'new')
			report = os.path.join(td, 'report.tsv')
			with open(report, 'w') as f:
				f.write('locks\t%s/a.c:2\tf\tw\tguard\tr\n' % new_root)
				f.write('locks\t%s/b.c:2\tf\tw\tguard\tr\n' % new_root)
			migrate.forget_sites(report, new_root, ['a.c'])
			with open(report) as f:
				text = f.read()
			self.assertNotIn('/a.c:', text)
			self.assertIn('/b.c:', text)


if __name__ == '__main__':
	unittest.main()
