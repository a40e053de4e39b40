# SPDX-License-Identifier: GPL-2.0
"""
safecocci - the planner behind safe's semantic patches: the entry points.

spatch does the rewriting; the planner decides where.  Each .cocci file
imports this module from its @initialize:python@ rule, hands it the run's
-D settings (configure()) and asks, for a token position spatch has
matched, whether and how to rewrite it (edit(), edit_data()).  A file is
planned once per rule family (plan_for()).  The planner itself is the
safeplan package next to this file (safeplan/__init__.py lists its
modules).

Run it directly to see the plan for a file:

	python3 coccinelle/safecocci.py plan FILE.c [PROFILE [locks|free|dma]]
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from safeplan.profile import *  # noqa: E402,F401,F403
from safeplan.cfront import *  # noqa: E402,F401,F403
from safeplan.cfront import _cache  # noqa: E402,F401
from safeplan.plan import *  # noqa: E402,F401,F403
from safeplan import plan as _plan  # noqa: E402
from safeplan.locks import *  # noqa: E402,F401,F403
from safeplan.free import *  # noqa: E402,F401,F403
from safeplan.dma import *  # noqa: E402,F401,F403

# Settings of one spatch run, from its -D options through configure()
REPORT = None		# file to append one line per site to (-D safe_report=)
EXCLUDE = None		# file of functions to leave alone (-D safe_exclude=)


def configure(profile='', report='', exclude='', **keys):
	"""Settle the planner's settings from the rule's virtual metavariables:
	-D safe_profile=NAME|FILE, -D safe_KEY=VALUE for each profile key,
	-D safe_report=FILE, -D safe_exclude=FILE.  Nothing else (no
	environment, no command line) changes what the planner decides."""
	global PROFILE, REPORT, EXCLUDE
	over = dict((k, v) for k, v in keys.items() if v != '' and k in PROFILE_KEYS)
	new = load_profile(profile or 'default', over)
	if new != PROFILE:
		_plans.clear()
	PROFILE = new
	REPORT = report or None
	EXCLUDE = exclude or None
	_plan.SETTINGS['exclude'] = EXCLUDE


# --------------------------------------------------------------------------
# Entry points for the .cocci rules
# --------------------------------------------------------------------------

_plans = {}
PROFILE = None


def profile():
	global PROFILE
	if PROFILE is None:
		PROFILE = load_profile('default')
	return PROFILE


def plan_for(path, what='locks'):
	key = (path, what)
	p = _plans.get(key)
	if p is None:
		if len(_plans) > 8:
			_plans.clear()
		p = Plan(path)
		try:
			cf = cfile(path)
			if what == 'locks':
				plan_locks(cf, profile(), p)
			elif what == 'free':
				plan_free(cf, profile(), p)
			elif what == 'dma':
				plan_dma(cf, profile(), p)
		except (OSError, ValueError, RecursionError) as e:
			p.edits.clear()
			p.report.append((0, '-', '-', 'skip', 'internal: %s' % e))
		_plans[key] = p
		write_report(p, what)
	return p


def write_report(p, what):
	out = REPORT
	if not out:
		return
	lines = []
	for line, fn, site, verdict, reason in sorted(p.report, key=lambda r: r[0]):
		lines.append('%s\t%s:%d\t%s\t%s\t%s\t%s\n' % (what, p.path, line, fn, site, verdict, reason))
	if lines:
		fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
		try:
			os.write(fd, ''.join(lines).encode())
		finally:
			os.close(fd)


def edit(p, kind, what='locks'):
	"""Does the plan rewrite position p (a spatch position) as kind?"""
	pos = p[0]
	pl = plan_for(pos.file, what)
	e = pl.get(pos.line, pos.column)
	return e is not None and e[0] == kind


def edit_data(p, what='locks'):
	pos = p[0]
	e = plan_for(pos.file, what).get(pos.line, pos.column)
	return e[1] if e else ''


# --------------------------------------------------------------------------
# Verification (make migrate): did spatch apply the whole plan?
# --------------------------------------------------------------------------

def lock_counts(cf, fname):
	"""Per lock key: lock calls, unlock calls, guard(), scoped_guard()."""
	out = {}
	toks = cf.toks
	for f in cf.funcs:
		if f.name != fname:
			continue
		k = f.b0
		while k < f.b1:
			t = toks[k]
			if t.k == 'id' and toks[k + 1].t == '(' and (t.t in LOCKS or t.t in UNLOCKS):
				try:
					c = Parser(toks, k, f.b1).match_close(k + 1)
				except ParseError:
					k += 1
					continue
				args = []
				d = 0
				st = k + 2
				for j in range(k + 2, c):
					if toks[j].t in ('(', '['):
						d += 1
					elif toks[j].t in (')', ']'):
						d -= 1
					elif toks[j].t == ',' and d == 0:
						args.append(cf.tokstr(st, j - 1))
						st = j + 1
				if c > k + 2:
					args.append(cf.tokstr(st, c - 1))
				fam = LOCKS[t.t][1] if t.t in LOCKS else LOCKS[UNLOCKS[t.t]][1]
				key = (fam, args[0] if args else '')
				e = out.setdefault(key, [0, 0, 0, 0])
				e[0 if t.t in LOCKS else 1] += 1
			elif t.t == 'guard' and toks[k + 1].t == '(' and toks[k + 3].t == ')' and toks[k + 4].t == '(':
				try:
					c = Parser(toks, k + 4, f.b1).match_close(k + 4)
				except ParseError:
					k += 1
					continue
				key = (toks[k + 2].t, cf.tokstr(k + 5, c - 1) if c > k + 5 else '')
				out.setdefault(key, [0, 0, 0, 0])[2] += 1
			elif t.t == 'scoped_guard' and toks[k + 1].t == '(':
				try:
					c = Parser(toks, k + 1, f.b1).match_close(k + 1)
				except ParseError:
					k += 1
					continue
				e = cf.tokstr(k + 4, c - 1) if toks[k + 3].t == ',' else ''
				key = (toks[k + 2].t, e)
				out.setdefault(key, [0, 0, 0, 0])[3] += 1
			k += 1
	return out


def verify_locks(orig, new, profile_name=None):
	"""Problems found comparing ORIG and NEW against the plan for ORIG."""
	global PROFILE
	if profile_name:
		PROFILE = load_profile(profile_name)
	plan = plan_for(orig, 'locks')
	a = cfile(orig)
	b = CFile(new)
	problems = []
	funcs = sorted(set(x[0] for x in plan.sites))
	for fn in funcs:
		ca = lock_counts(a, fn)
		cb = lock_counts(b, fn)
		want = dict((k, list(v)) for k, v in ca.items())
		for func, lfn, key, kind, nul in plan.sites:
			if func != fn:
				continue
			e = want.setdefault(key, [0, 0, 0, 0])
			if kind == 'cond':
				e[1] -= nul
				continue
			e[0] -= 1
			e[1] -= nul
			e[2 if kind == 'guard' else 3] += 1
		keys = set(want) | set(cb)
		for k in keys:
			w = want.get(k, [0, 0, 0, 0])
			g = cb.get(k, [0, 0, 0, 0])
			if w != g:
				problems.append('%s: %s(%s): expected lock/unlock/guard/scoped %s, found %s' %
						(fn, k[0], k[1], w, g))
		for f in b.funcs:
			if f.name == fn and not b.parse(f):
				problems.append('%s: does not parse after the rewrite: %s' % (fn, f.error))
	return problems


def missing_classes(ksrc):
	"""Guard and __free classes that KSRC's headers do not define."""
	want = set(v[1] for v in LOCKS.values()) | set(v[1] for v in COND_LOCKS.values()) | set(['ACQUIRE'])
	have = set()
	pat = re.compile(r'DEFINE_(?:LOCK_GUARD_[01]|GUARD|FREE)\(\s*(\w+)\s*,')
	cond = re.compile(r'DEFINE_(?:LOCK_GUARD_1_COND|GUARD_COND)\(\s*(\w+)\s*,\s*(\w+)\s*,')
	for root, _, files in os.walk(os.path.join(ksrc, 'include', 'linux')):
		for fn in files:
			if fn.endswith('.h'):
				try:
					with open(os.path.join(root, fn), errors='replace') as fh:
						text = fh.read()
				except OSError:
					continue
				for m in pat.finditer(text):
					have.add(m.group(1))
				for m in cond.finditer(text):
					have.add(m.group(1) + m.group(2))
				if fn == 'cleanup.h' and re.search(r'#define ACQUIRE\(', text):
					have.add('ACQUIRE')
	return sorted((want | set(['kfree', 'kvfree', 'kfree_sensitive'])) - have)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def main(argv):
	if len(argv) >= 3 and argv[1] == 'plan':
		global PROFILE
		PROFILE = load_profile(argv[3] if len(argv) > 3 else 'default')
		what = argv[4] if len(argv) > 4 else 'locks'
		p = plan_for(argv[2], what)
		for r in sorted(p.report):
			print('%d\t%s\t%s\t%s\t%s' % r)
		for k in sorted(p.edits):
			print('  edit %d:%d %s' % (k[0], k[1], p.edits[k]))
		return 0
	if len(argv) >= 4 and argv[1] == 'verify':
		probs = verify_locks(argv[2], argv[3], argv[4] if len(argv) > 4 else None)
		for x in probs:
			print(x)
		return 1 if probs else 0
	if len(argv) == 3 and argv[1] == 'missing-classes':
		print(','.join(missing_classes(argv[2])))
		return 0
	print(__doc__)
	return 1


if __name__ == '__main__':
	sys.exit(main(sys.argv))
