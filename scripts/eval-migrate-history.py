#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
eval-migrate-history.py - the lock rule against the maintainers' own
conversions between two kernel trees.

	eval-migrate-history.py --old TREE --new TREE [--top drivers]
				[--profile default] [--sites FILE] [--files FILE]

A maintainer site is a lock call (mutex_lock(&x), spin_lock_irqsave(&x, f),
...) in a function of OLD whose lock, in the function of the same name in
NEW, is taken only through guard() or scoped_guard() any more: the
maintainer converted it.  Functions are matched by name within the same
file; a name defined twice in a file is left out.  When OLD has as many
lock calls of that lock as NEW has guards, they pair in order and the
maintainer's kind (guard or scoped) is known per site; otherwise the
sites count for recall only.

The planner (coccinelle/safecocci.py, the same one the rule asks) then
decides each site of OLD, and this prints:

	recall          maintainer sites the planner converts
	kind agreement  of those with a known kind, the share where the
			planner picks the maintainer's guard() or scoped_guard()

--sites FILE writes one line per site (file, line, function, maintainer's
kind, planner's kind, reason, features) for deriving and checking the
guard/scoped rule; --files FILE writes the OLD files with maintainer sites,
for make migrate's build and checkpatch figures.

Only the 6.12 -> 7.3 history is to be used with this: the 6.1 -> 6.12 one
is held out for judging the rules and must not be used to tune them.
"""

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'coccinelle'))
import safecocci  # noqa: E402

GUARD_RX = re.compile(r'\b(?:scoped_)?guard\s*\(')


def converted_files(old, new, top):
	"""Files under top in both trees where NEW has more guards than OLD."""
	out = []
	for root, dirs, files in os.walk(os.path.join(new, top)):
		dirs.sort()
		for fn in sorted(files):
			if not fn.endswith('.c'):
				continue
			pn = os.path.join(root, fn)
			rel = os.path.relpath(pn, new)
			po = os.path.join(old, rel)
			if not os.path.exists(po):
				continue
			with open(pn, errors='replace') as f:
				tn = f.read()
			gn = len(GUARD_RX.findall(tn))
			if not gn:
				continue
			with open(po, errors='replace') as f:
				to = f.read()
			if len(GUARD_RX.findall(to)) < gn and \
			   any(k + '(' in to for k in safecocci.LOCKS):
				out.append(rel)
	return out


def guard_kinds(cf, f):
	"""[(key, kind)] of guard()/scoped_guard() in f, in order."""
	toks = cf.toks
	out = []
	for k in range(f.b0, f.b1):
		t = toks[k]
		if t.t == 'guard' and toks[k + 1].t == '(' and toks[k + 3].t == ')' and toks[k + 4].t == '(':
			try:
				c = safecocci.Parser(toks, k + 4, f.b1).match_close(k + 4)
			except safecocci.ParseError:
				continue
			e = cf.tokstr(k + 5, c - 1) if c > k + 5 else ''
			out.append(((toks[k + 2].t, e), 'guard'))
		elif t.t == 'scoped_guard' and toks[k + 1].t == '(':
			try:
				c = safecocci.Parser(toks, k + 1, f.b1).match_close(k + 1)
			except safecocci.ParseError:
				continue
			e = cf.tokstr(k + 4, c - 1) if toks[k + 3].t == ',' else ''
			out.append(((toks[k + 2].t, e), 'scoped'))
	return out


def unique_funcs(cf):
	seen = {}
	for f in cf.funcs:
		seen.setdefault(f.name, []).append(f)
	return dict((n, fs[0]) for n, fs in seen.items() if len(fs) == 1)


def maintainer_sites(old, new, rel):
	"""[(func name, key, index among key's lock calls, kind or None)]."""
	co = safecocci.cfile(os.path.join(old, rel))
	cn = safecocci.CFile(os.path.join(new, rel))
	fo = unique_funcs(co)
	fn = unique_funcs(cn)
	out = []
	for name in sorted(set(fo) & set(fn)):
		a = fo[name]
		if not any(co.toks[k].t in safecocci.LOCKS for k in range(a.b0, a.b1)):
			continue
		ca = safecocci.lock_counts(co, name)
		cb = safecocci.lock_counts(cn, name)
		kinds = guard_kinds(cn, fn[name])
		for key, v in ca.items():
			if v[0] == 0 or v[2] or v[3]:
				continue
			w = cb.get(key, [0, 0, 0, 0])
			if w[0] or not (w[2] or w[3]):
				continue
			ks = [k for kk, k in kinds if kk == key]
			paired = len(ks) == v[0]
			for i in range(v[0]):
				out.append((name, key, i, ks[i] if paired else None))
	return out


def features(cf, f, st):
	feat = safecocci.site_features(cf, f, st)
	return ' '.join('%s=%s' % (k, feat[k]) for k in sorted(feat))


def main(argv):
	ap = argparse.ArgumentParser()
	ap.add_argument('--old', required=True)
	ap.add_argument('--new', required=True)
	ap.add_argument('--top', default='drivers')
	ap.add_argument('--profile', default='default')
	ap.add_argument('--sites')
	ap.add_argument('--files')
	args = ap.parse_args(argv[1:])
	safecocci.PROFILE = safecocci.load_profile(args.profile)
	files = converted_files(args.old, args.new, args.top)
	total = conv = known = agree = 0
	by_kind = {}
	rows = []
	used = []
	for rel in files:
		ms = maintainer_sites(args.old, args.new, rel)
		if not ms:
			continue
		used.append(rel)
		plan = safecocci.plan_for(os.path.join(args.old, rel), 'locks')
		cf = safecocci.cfile(os.path.join(args.old, rel))
		tool = {}
		for f, st in plan.lock_sites:
			tool.setdefault((f.name, st.key), []).append((f, st))
		for name, key, i, mk in ms:
			lst = tool.get((name, key), [])
			if i >= len(lst):
				verdict, reason, feat, line = 'skip', 'the planner does not see this lock call', '', 0
			else:
				f, st = lst[i]
				verdict, reason, line = st.kind, st.reason, st.line
				feat = features(cf, f, st)
			total += 1
			if verdict in ('guard', 'scoped'):
				conv += 1
				if mk:
					known += 1
					agree += verdict == mk
			e = by_kind.setdefault(mk or '?', [0, 0, 0])
			e[0] += 1
			e[1] += verdict in ('guard', 'scoped')
			e[2] += verdict == mk
			rows.append('%s:%d\t%s\t%s(%s)\tmaintainer=%s\tplanner=%s\t%s\t%s\n' % (
				rel, line, name, key[0], key[1], mk or '?', verdict, reason, feat))
	if args.sites:
		with open(args.sites, 'w') as f:
			f.write(''.join(rows))
	if args.files:
		with open(args.files, 'w') as f:
			f.write(''.join(r + '\n' for r in used))
	pct = lambda a, b: 100.0 * a / b if b else 0.0
	print('history %s -> %s, %s/: %d files with maintainer conversions, %d lock sites'
	      % (os.path.basename(args.old.rstrip('/')), os.path.basename(args.new.rstrip('/')),
		 args.top, len(used), total))
	print('recall:          %d/%d (%.1f%%) of the maintainers\' sites converted' % (conv, total, pct(conv, total)))
	print('kind agreement:  %d/%d (%.1f%%) of converted sites with a known maintainer kind' % (
		agree, known, pct(agree, known)))
	for k in sorted(by_kind):
		n, c, a = by_kind[k]
		print('  maintainer %-6s %4d sites: converted %d, same kind %d' % (k, n, c, a))
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
