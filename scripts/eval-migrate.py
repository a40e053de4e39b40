#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
eval-migrate.py - "make eval-migrate": the migration rules on real drivers.

	eval-migrate.py --ksrc TREE [--files N] [--seed S] [--jobs J]
			[--phase sample|drivers|all] [--out DIR]

sample:  N driver files (default 300) with lock or allocation sites, drawn
	 with a fixed seed among those kbuild builds in Debian's config,
	 go through make migrate (coccinelle/migrate.py) with gcc and clang
	 W=1 -Werror builds, checkpatch --strict and the idempotence pass.
	 Printed: files, sites converted vs candidates, files changed, the
	 share of changed files that compiled with gcc and with clang at
	 the first attempt, patches emitted, checkpatch-clean share,
	 idempotence.
drivers: the three rules over every candidate file of drivers/ (no
	 builds), J spatch processes: wall time, files changed, sites.
history: the lock rule against the maintainers' own conversions from
	 KSRC (6.12) to NEW (7.3) in drivers/ (scripts/eval-migrate-history.py):
	 recall, kind agreement (guard() or scoped_guard() as the
	 maintainer wrote it), then make migrate with builds on the files
	 they converted: build rate and checkpatch --strict rate.  Never
	 run it on the 6.1 -> 6.12 history: that one is held out.
checkers: every check_*.cocci over NEW's drivers/ and sound/ (the DMA
	 free checker over the files that allocate coherent DMA memory,
	 the others over the files using cleanup.h), J spatch processes;
	 each report triaged against upstream-patches/triage.tsv.

Results go to OUT (default $SAFE_CACHE/cocci/eval) as summary.txt and
JSON; the tree itself is never modified.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COCCI = os.path.join(HERE, '..', 'coccinelle')
sys.path.insert(0, COCCI)
import migrate  # noqa: E402
import safecocci  # noqa: E402


def log(msg):
	sys.stderr.write(msg + '\n')
	sys.stderr.flush()


def configured(ksrc, rel, config):
	"""Does kbuild build rel in this config?  Judged from the Makefile
	line that names the object: every CONFIG_ on it must be y or m."""
	d, fn = os.path.split(rel)
	obj = fn[:-2] + '.o'
	mk = os.path.join(ksrc, d, 'Makefile')
	if not os.path.exists(mk):
		mk = os.path.join(ksrc, d, 'Kbuild')
	if not os.path.exists(mk):
		return False
	text = open(mk, errors='replace').read().replace('\\\n', ' ')
	for line in text.splitlines():
		if not re.search(r'(^|[\s=])' + re.escape(obj) + r'(\s|$)', line):
			continue
		syms = re.findall(r'CONFIG_(\w+)', line)
		if not syms and re.match(r'\s*(obj-y|[\w-]+-(y|objs)\b)', line):
			return True
		if syms and all(config.get(s) in ('y', 'm') for s in syms):
			return True
	return False


def read_config(path):
	cfg = {}
	for line in open(path, errors='replace'):
		m = re.match(r'CONFIG_(\w+)=(\S+)', line)
		if m:
			cfg[m.group(1)] = m.group(2)
	return cfg


def candidates(ksrc, top='drivers'):
	out = []
	for root, dirs, files in os.walk(os.path.join(ksrc, top)):
		dirs.sort()
		for fn in sorted(files):
			if fn.endswith('.c'):
				p = os.path.join(root, fn)
				with open(p, errors='replace') as f:
					if migrate.CANDIDATE.search(f.read()):
						out.append(os.path.relpath(p, ksrc))
	return out


def sample(args, ksrc, out):
	cfgp = migrate.find_config(ksrc)
	if not cfgp:
		log('eval-migrate: no Debian config for %s' % ksrc)
		return 1
	cfg = read_config(cfgp)
	cand = [r for r in candidates(ksrc) if configured(ksrc, r, cfg)]
	key = lambda r: hashlib.sha1(('%s:%s' % (args.seed, r)).encode()).hexdigest()
	pick = sorted(sorted(cand, key=key)[:args.files])
	lst = os.path.join(out, 'files.txt')
	with open(lst, 'w') as f:
		f.write(''.join(r + '\n' for r in pick))
	log('eval-migrate: %d candidate driver files look built in %s; sample %d (seed %s)'
	    % (len(cand), cfgp, len(pick), args.seed))
	js = os.path.join(out, 'sample.json')
	t0 = time.time()
	r = subprocess.run([sys.executable, os.path.join(COCCI, 'migrate.py'), '--ksrc', ksrc,
			    '--dir', 'drivers', '--files', lst, '--jobs', str(args.jobs),
			    '--out', os.path.join(out, 'series'), '--json', js],
			   stdout=subprocess.PIPE, universal_newlines=True)
	wall = time.time() - t0
	with open(os.path.join(out, 'sample-report.txt'), 'w') as f:
		f.write(r.stdout)
	if r.returncode != 0 or not os.path.exists(js):
		log('eval-migrate: migrate.py failed (%d)' % r.returncode)
		return 1
	res = json.load(open(js))
	sites = res['sites']
	conv = [s for s in sites if s['verdict'] != 'skip']
	st = res['status']
	changed = res['changed']
	accepted = res['accepted']
	unbuilt = [x for x in changed if 'before the change' in st.get(x, ['', ''])[1]]
	judged = [x for x in changed if x not in unbuilt]
	first = res.get('first_build', {})
	gcc_ok = [x for x in judged if first.get(x, {}).get('gcc')]
	clang_ok = [x for x in judged if first.get(x, {}).get('clang')]
	not_idem = [x for x in changed if 'not idempotent' in st.get(x, ['', ''])[1]]
	cp = res['checkpatch']
	cp_clean = [x for x in accepted if not cp.get(x)]
	by_rule = {}
	for s in sites:
		e = by_rule.setdefault(s['rule'], [0, 0])
		e[0] += 1
		if s['verdict'] != 'skip':
			e[1] += 1
	pct = lambda a, b: 100.0 * a / b if b else 0.0
	lines = [
		'# make eval-migrate, sample phase: %s' % ksrc,
		'files in the sample:            %d (seed %s; driver .c files with lock/alloc/DMA sites that kbuild builds in %s)' % (len(pick), args.seed, cfgp),
		'candidate sites:                %d' % len(sites),
		'sites converted:                %d (%.1f%%)' % (len(conv), pct(len(conv), len(sites))),
	]
	for rule, (n, c) in sorted(by_rule.items()):
		lines.append('  %-6s converted %d of %d' % (rule, c, n))
	lines += [
		'files changed by the rules:     %d' % len(changed),
		'  of which kbuild does not build in this config: %d' % len(unbuilt),
		'compiled at the first attempt:  gcc %d/%d (%.1f%%), clang %d/%d (%.1f%%)  (W=1 -Werror, or no new warning where the original has W=1 warnings)' % (
			len(gcc_ok), len(judged), pct(len(gcc_ok), len(judged)), len(clang_ok), len(judged), pct(len(clang_ok), len(judged))),
		'patches emitted:                %d (every one built with gcc and clang; the rest dropped or redone without the failing functions)' % len(accepted),
		'checkpatch --strict clean:      %d/%d (%.1f%%)' % (len(cp_clean), len(accepted), pct(len(cp_clean), len(accepted))),
		'idempotent (second run no-op):  %d/%d changed files (%d dropped as not idempotent)' % (
			len(changed) - len(not_idem), len(changed), len(not_idem)),
		'wall time (sample, -j%d):        %.0f s' % (args.jobs, wall),
	]
	text = '\n'.join(lines) + '\n'
	with open(os.path.join(out, 'summary-sample.txt'), 'w') as f:
		f.write(text)
	sys.stdout.write(text)
	return 0


def spatch_parse(rels, ksrc, jobs, work):
	"""Parse every file with spatch and match nothing: the parse floor."""
	rule = os.path.join(work, 'parse-only.cocci')
	with open(rule, 'w') as f:
		f.write('@@\n@@\n- safe_parse_only_never_called();\n')
	procs = []
	for j in range(jobs):
		lst = os.path.join(work, 'parse-%d.files' % j)
		with open(lst, 'w') as f:
			f.write('\n\n'.join(rels[j::jobs]) + '\n')
		procs.append(subprocess.Popen(
			['spatch', '--macro-file-builtins', migrate.macro_builtins(), '--sp-file', rule,
			 '--no-includes', '--include-headers', '--timeout', '120', '--very-quiet',
			 '--disable-worth-trying-opt', '--file-groups', lst],
			cwd=ksrc, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
	for p in procs:
		p.wait()


def drivers(args, ksrc, out):
	t0 = time.time()
	cand = candidates(ksrc)
	if args.drivers_files:
		key = lambda r: hashlib.sha1(('%s:%s' % (args.seed, r)).encode()).hexdigest()
		cand = sorted(sorted(cand, key=key)[:args.drivers_files])
	scan = time.time() - t0
	work = os.path.join(out, 'drivers')
	shutil.rmtree(work, ignore_errors=True)
	os.makedirs(work)
	load0 = os.getloadavg()
	# parse: spatch over every file with a rule that matches nothing
	t0 = time.time()
	spatch_parse(cand, ksrc, args.jobs, work)
	t_parse = time.time() - t0
	# plan: the planner alone, every family, every file (one process)
	t0 = time.time()
	safecocci.configure('default', '', '', missing_classes=','.join(safecocci.missing_classes(ksrc)))
	for rel in cand:
		for what in ('locks', 'free', 'dma'):
			safecocci.plan_for(os.path.join(ksrc, rel), what)
		safecocci._plans.clear()
		safecocci._cache.clear()
	t_plan = time.time() - t0
	# rewrite: the three rules as make migrate runs them
	a = argparse.Namespace(profile='default', jobs=args.jobs,
			       missing=','.join(safecocci.missing_classes(ksrc)))
	report = os.path.join(work, 'report.tsv')
	exclude = os.path.join(work, 'exclude.tsv')
	open(exclude, 'w').close()
	new_root = os.path.join(work, 'new')
	t0 = time.time()
	problems = migrate.convert(a, cand, ksrc, new_root, work, report, exclude, migrate.RULES)
	t_rules = time.time() - t0
	load1 = os.getloadavg()
	changed = 0
	for rel in cand:
		with open(os.path.join(ksrc, rel), errors='replace') as x, \
		     open(os.path.join(new_root, rel), errors='replace') as y:
			if x.read() != y.read():
				changed += 1
	sites = migrate.read_report(report, new_root, cand)
	conv = [s for s in sites if s['verdict'] != 'skip']
	text = ('# make eval-migrate, drivers phase: %s\n'
		'%s: %d .c files with candidate sites, three rules, %d spatch processes\n'
		'load average %.1f at the start, %.1f at the end (the machine is shared)\n'
		'time per phase (no builds here; the sample phase builds):\n'
		'  scan      %5.0f s  finding the candidate files\n'
		'  parse     %5.0f s  spatch parsing every file, matching nothing\n'
		'  plan      %5.0f s  the planner alone, three families, one process\n'
		'  rules     %5.0f s  the three rules (spatch parse + match + rewrite, planner inside,\n'
		'                     fixup, verification): rewrite and match ~ %.0f s beyond parse and plan\n'
		'  total     %5.0f s\n'
		'sites: %d converted of %d; files changed: %d; spatch problems in %d files\n'
		% (ksrc, 'all of drivers/' if not args.drivers_files else
		   'a seeded sample of drivers/ (%d files)' % len(cand),
		   len(cand), args.jobs, load0[0], load1[0], scan, t_parse, t_plan, t_rules,
		   max(0.0, t_rules - t_parse - t_plan / max(1, args.jobs)),
		   scan + t_parse + t_plan + t_rules, len(conv), len(sites), changed, len(problems)))
	with open(os.path.join(out, 'summary-drivers.txt'), 'w') as f:
		f.write(text)
	sys.stdout.write(text)
	shutil.rmtree(new_root, ignore_errors=True)
	return 0


def history(args, ksrc, out):
	if not args.new:
		log('eval-migrate: history needs NEW= (a 7.3 tree)')
		return 1
	import importlib.util
	spec = importlib.util.spec_from_file_location('emh', os.path.join(HERE, 'eval-migrate-history.py'))
	emh = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(emh)
	work = os.path.join(out, 'history')
	shutil.rmtree(work, ignore_errors=True)
	os.makedirs(work)
	sites = os.path.join(work, 'sites.tsv')
	files = os.path.join(work, 'files.txt')
	t0 = time.time()
	r = subprocess.run([sys.executable, os.path.join(HERE, 'eval-migrate-history.py'),
			    '--old', ksrc, '--new', args.new, '--sites', sites, '--files', files],
			   stdout=subprocess.PIPE, universal_newlines=True)
	plan_time = time.time() - t0
	if r.returncode:
		return 1
	lines = r.stdout.rstrip('\n').split('\n')
	js = os.path.join(work, 'migrate.json')
	t0 = time.time()
	m = subprocess.run([sys.executable, os.path.join(COCCI, 'migrate.py'), '--ksrc', ksrc,
			    '--dir', 'drivers', '--files', files, '--rules', 'lock_guard',
			    '--jobs', str(args.jobs), '--out', os.path.join(work, 'series'), '--json', js],
			   stdout=subprocess.PIPE, universal_newlines=True)
	build_time = time.time() - t0
	with open(os.path.join(work, 'migrate-report.txt'), 'w') as f:
		f.write(m.stdout)
	if m.returncode or not os.path.exists(js):
		log('eval-migrate: migrate.py failed (%d)' % m.returncode)
		return 1
	res = json.load(open(js))
	changed = res['changed']
	st = res['status']
	unbuilt = [x for x in changed if 'before the change' in st.get(x, ['', ''])[1]]
	judged = [x for x in changed if x not in unbuilt]
	first = res.get('first_build', {})
	both = [x for x in judged if first.get(x, {}).get('gcc') and first.get(x, {}).get('clang')]
	accepted = res['accepted']
	cp = res['checkpatch']
	clean = [x for x in accepted if not cp.get(x)]
	pct = lambda a, b: 100.0 * a / b if b else 0.0
	lines += [
		'build rate:      %d/%d (%.1f%%) changed files built with gcc and clang at the first attempt'
		' (W=1 -Werror; %d more are not built in Debian\'s config)' % (
			len(both), len(judged), pct(len(both), len(judged)), len(unbuilt)),
		'patches emitted: %d (the rest dropped or redone without the failing functions)' % len(accepted),
		'checkpatch rate: %d/%d (%.1f%%) emitted patches checkpatch --strict clean' % (
			len(clean), len(accepted), pct(len(clean), len(accepted))),
		'time: %.0f s planning (both trees), %.0f s make migrate with builds (-j%d)' % (
			plan_time, build_time, args.jobs),
	]
	text = '\n'.join(lines) + '\n'
	with open(os.path.join(out, 'summary-history.txt'), 'w') as f:
		f.write(text)
	sys.stdout.write(text)
	return 0


DMA_ALLOC = re.compile(r'\bdmam?_alloc_(coherent|attrs|wc|noncoherent)\b')
CLEANUP = re.compile(r'\b(scoped_)?guard\(|__free\(|scoped_cond_guard\(|ACQUIRE\(')


def checker_files(tree, rx):
	out = []
	for top in ('drivers', 'sound'):
		for root, dirs, files in os.walk(os.path.join(tree, top)):
			dirs.sort()
			for fn in sorted(files):
				if fn.endswith('.c'):
					p = os.path.join(root, fn)
					with open(p, errors='replace') as f:
						if rx.search(f.read()):
							out.append(os.path.relpath(p, tree))
	return out


def run_checker(rule, tree, rels, jobs, work):
	"""Reports of checker RULE on rels: [(file, line, message)]."""
	procs = []
	for j in range(jobs):
		lst = os.path.join(work, '%s-%d.files' % (rule, j))
		with open(lst, 'w') as f:
			f.write('\n\n'.join(rels[j::jobs]) + '\n')
		out = open(os.path.join(work, '%s-%d.out' % (rule, j)), 'w')
		err = open(os.path.join(work, '%s-%d.err' % (rule, j)), 'w')
		procs.append((subprocess.Popen(
			['spatch', '-D', 'report', '--very-quiet', '--no-show-diff',
			 '--cocci-file', os.path.join(COCCI, rule + '.cocci'),
			 '--macro-file-builtins', migrate.macro_builtins(),
			 '--no-includes', '--include-headers', '--timeout', '60',
			 '--file-groups', lst], cwd=tree, stdout=out, stderr=err,
			stdin=subprocess.DEVNULL), out, err))
	reports = []
	for p, out, err in procs:
		p.wait()
		out.close()
		err.close()
		for line in open(out.name):
			m = re.match(r'^(\S+\.c):(\d+):\d+-\d+: (.*)$', line.rstrip('\n'))
			if m:
				reports.append((m.group(1), int(m.group(2)), m.group(3)))
	return sorted(reports)


def checkers(args, ksrc, out):
	tree = args.new
	if not tree:
		log('eval-migrate: checkers needs NEW= (a 7.3 tree)')
		return 1
	work = os.path.join(out, 'checkers')
	shutil.rmtree(work, ignore_errors=True)
	os.makedirs(work)
	triage = []
	tsv = os.path.join(HERE, '..', 'upstream-patches', 'triage.tsv')
	for line in open(tsv):
		if line.startswith('#') or not line.strip():
			continue
		triage.append(line.rstrip('\n').split('\t'))
	t0 = time.time()
	dma = checker_files(tree, DMA_ALLOC)
	cln = checker_files(tree, CLEANUP)
	scan = time.time() - t0
	lines = ['# make eval-migrate, checkers phase: %s (drivers/ and sound/)' % tree,
		 'files: %d allocate coherent DMA memory, %d use cleanup.h (found in %.0f s)' % (len(dma), len(cln), scan)]
	found = []
	for fn in sorted(os.listdir(COCCI)):
		if not (fn.startswith('check_') and fn.endswith('.cocci')):
			continue
		rule = fn[:-6]
		rels = dma if rule == 'check_dma_free_mismatch' else cln
		t0 = time.time()
		reps = run_checker(rule, tree, rels, args.jobs, work)
		lines.append('%-30s %4d files, %3d reports, %4.0f s (-j%d)' % (rule, len(rels), len(reps), time.time() - t0, args.jobs))
		found += [(rule,) + r for r in reps]
	counts = {}
	lines.append('triage (upstream-patches/triage.tsv):')
	for rule, f, ln, msg in found:
		v = ('new', 'not triaged yet')
		for t in triage:
			if t[0] == rule and t[1] in (f, '*') and t[2] in msg:
				v = (t[3], t[4])
				break
		counts[v[0]] = counts.get(v[0], 0) + 1
		if v[0] == 'style':
			continue	# counted, not listed
		lines.append('  %-5s %s:%d: %s [%s]\n        %s' % (v[0], f, ln, msg, rule, v[1]))
	lines.append('reports: %d; %s' % (len(found), ', '.join('%s %d' % kv for kv in sorted(counts.items())) or 'none'))
	text = '\n'.join(lines) + '\n'
	with open(os.path.join(out, 'summary-checkers.txt'), 'w') as f:
		f.write(text)
	sys.stdout.write(text)
	return 1 if counts.get('new') else 0


def main(argv):
	ap = argparse.ArgumentParser()
	ap.add_argument('--ksrc', required=True)
	ap.add_argument('--files', type=int, default=300)
	ap.add_argument('--seed', default='safe-eval-1')
	ap.add_argument('--jobs', type=int, default=2)
	ap.add_argument('--phase', default='all', choices=['sample', 'drivers', 'history', 'checkers', 'all'])
	ap.add_argument('--new', default=None, help='the newer tree (7.3) for history and checkers')
	ap.add_argument('--drivers-files', type=int, default=0,
			help='drivers phase: a seeded sample of this many files (0: all)')
	ap.add_argument('--out', default=os.path.join(migrate.CACHE, 'cocci', 'eval'))
	args = ap.parse_args(argv[1:])
	ksrc = os.path.realpath(args.ksrc)
	os.makedirs(args.out, exist_ok=True)
	rc = 0
	if args.phase in ('sample', 'all'):
		rc |= sample(args, ksrc, args.out)
	if args.phase in ('drivers', 'all'):
		rc |= drivers(args, ksrc, args.out)
	if args.new:
		args.new = os.path.realpath(args.new)
	if args.phase in ('history', 'all'):
		rc |= history(args, ksrc, args.out)
	if args.phase in ('checkers', 'all'):
		rc |= checkers(args, ksrc, args.out)
	return rc


if __name__ == '__main__':
	sys.exit(main(sys.argv))
