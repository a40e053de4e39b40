#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
migrate.py - the engine behind "make migrate" (scripts/migrate.sh).

	migrate.py --ksrc TREE --dir DRIVER_DIR [--profile P] [--out DIR]
		   [--rules lock_guard,free_ptr,dma_buf] [--jobs N]

For every C file under DRIVER_DIR that has a lock, allocation or DMA site:

 1. runs the semantic patches on a copy (never on TREE), then fixup.py;
 2. checks that spatch applied the whole plan (lock/unlock/guard counts per
    function);
 3. compiles the file before and after with gcc and with clang, W=1 and
    -Werror, with the exact command kbuild uses for it in TREE; functions
    that break the build are excluded and the file is redone, and a file
    that still does not build is dropped;
 4. runs the rules again on the result: nothing may change (idempotence);
 5. writes one patch per file (OUT/NNNN-*.patch and OUT/series) and runs
    checkpatch.pl --strict on each;
 6. prints a report: every converted and every skipped site with its
    reason, every dropped file with the compiler's message.

Build directories (Debian's config for TREE's version, else
x86_64_defconfig) are prepared once under $SAFE_CACHE/cocci/build.
"""

import argparse
import concurrent.futures
import difflib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fixup  # noqa: E402
import safecocci  # noqa: E402

CACHE = os.environ.get('SAFE_CACHE') or os.path.join(
	os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'safe')

RULES = ['lock_guard', 'free_ptr', 'dma_buf']
# what a file must contain for a rule to be worth running on it
RULE_CANDIDATE = {
	# the plain and the conditional locks the planner knows
	'lock_guard': re.compile(r'\b(%s)\s*\(' % '|'.join(
		sorted(set(safecocci.LOCKS) | set(safecocci.COND_LOCKS)))),
	'free_ptr': re.compile(
		r'\b(kmalloc|kzalloc|kcalloc|kmalloc_array|kmemdup|kstrdup|kstrndup|kasprintf|'
		r'kmalloc_node|kzalloc_node|kvmalloc|kvzalloc|kvcalloc|kvmalloc_array)\s*\('),
	'dma_buf': re.compile(r'\b(dma_alloc_coherent|dmam_alloc_coherent)\s*\('),
}
CANDIDATE = re.compile('|'.join('(?:%s)' % r.pattern for r in RULE_CANDIDATE.values()))


def log(msg):
	sys.stderr.write(msg + '\n')
	sys.stderr.flush()


def run(cmd, **kw):
	return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
			      universal_newlines=True, errors='replace', **kw)


# --------------------------------------------------------------------------
# spatch
# --------------------------------------------------------------------------

def spatch(rule, paths, settings, jobs, workdir):
	"""Run coccinelle/RULE.cocci in place on paths; returns the log.

	Not spatch --jobs: spatch 1.1.1 then starts Python again for every
	file.  The files are split between JOBS spatch processes instead."""
	if not paths:
		return ''
	jobs = max(1, min(jobs, len(paths)))
	procs = []
	for j in range(jobs):
		part = paths[j::jobs]
		lst = os.path.join(workdir, 'spatch-%s-%d.txt' % (rule, j))
		# one group per file
		with open(lst, 'w') as f:
			f.write('\n\n'.join(part) + '\n')
		cmd = ['spatch', '--macro-file-builtins', macro_builtins(),
		       '--sp-file', os.path.join(HERE, rule + '.cocci'), '-D', 'patch',
		       '--in-place', '--no-includes', '--include-headers', '--timeout', '120',
		       '--very-quiet', '--file-groups', lst] + settings
		logf = open(lst + '.log', 'w+')
		procs.append((subprocess.Popen(cmd, cwd=workdir, stdout=logf,
					       stderr=subprocess.STDOUT), logf))
	out = []
	for pr, logf in procs:
		pr.wait()
		logf.seek(0)
		out.append(logf.read())
		logf.close()
	return ''.join(out)


_macros = []


def macro_builtins():
	"""spatch's standard.h with safe_macros.h: scripts/cocci-macros.sh."""
	if not _macros:
		r = subprocess.run(['bash', os.path.join(HERE, '..', 'scripts', 'cocci-macros.sh')],
				   stdout=subprocess.PIPE, universal_newlines=True, check=True)
		_macros.append(r.stdout.strip())
	return _macros[0]


def rule_settings(args, report, exclude, rule):
	"""The -D options that set the planner up in rule."""
	out = ['-D', 'safe_dir=' + HERE, '-D', 'safe_profile=' + args.profile,
	       '-D', 'safe_report=' + report, '-D', 'safe_exclude=' + exclude]
	if args.missing:
		out += ['-D', 'safe_missing_classes=' + args.missing]
	if rule == 'lock_guard' and safecocci.load_profile(args.profile)['include'] == 'safe':
		# the header its guards come from
		out += ['-D', 'safe_include']
	return out


def line_map(seen, orig):
	"""Line numbers of text seen (1-based) as lines of text orig: a line
	the earlier rules changed maps to the first line of what they
	replaced."""
	ops = difflib.SequenceMatcher(None, seen.splitlines(), orig.splitlines(),
				      autojunk=False).get_opcodes()

	def where(n):
		for tag, i1, i2, j1, _ in ops:
			if i1 <= n - 1 < i2:
				return j1 + 1 + (n - 1 - i1 if tag == 'equal' else 0)
		return n
	return where


def original_lines(report, mark, seen, orig_root, new_root):
	"""A rule reports the lines of each file as it saw it, after the rules
	before it: make the lines it added to the report (from offset mark)
	those of the original file."""
	if not os.path.exists(report):
		return
	with open(report) as f:
		f.seek(mark)
		added = f.read().splitlines(True)
	maps = {}
	for i, line in enumerate(added):
		p = line.split('\t')
		if len(p) < 2 or p[0] == 'feat' or ':' not in p[1]:
			continue
		path, ln = p[1].rsplit(':', 1)
		rel = os.path.relpath(os.path.realpath(path), os.path.realpath(new_root))
		if rel not in seen or not ln.isdigit():
			continue
		if rel not in maps:
			with open(os.path.join(orig_root, rel), errors='replace') as f:
				maps[rel] = line_map(seen[rel], f.read())
		p[1] = '%s:%d' % (path, maps[rel](int(ln)))
		added[i] = '\t'.join(p)
	with open(report, 'r+') as f:
		f.seek(mark)
		f.truncate()
		f.writelines(added)


def convert(args, rels, orig_root, new_root, workdir, report, exclude, rules):
	"""Copy rels from orig_root to new_root and run the rules there."""
	for rel in rels:
		dst = os.path.join(new_root, rel)
		os.makedirs(os.path.dirname(dst), exist_ok=True)
		shutil.copyfile(os.path.join(orig_root, rel), dst)
	problems = {}
	for rule in rules:
		before = {}
		for rel in rels:
			p = os.path.join(new_root, rel)
			with open(p) as f:
				before[rel] = f.read()
		# the lock planner reads the file as it was before this rule
		snap = os.path.join(workdir, 'before-' + rule)
		shutil.rmtree(snap, ignore_errors=True)
		for rel in rels:
			d = os.path.join(snap, rel)
			os.makedirs(os.path.dirname(d), exist_ok=True)
			with open(d, 'w') as f:
				f.write(before[rel])
		todo = [r for r in rels if RULE_CANDIDATE[rule].search(before[r])]
		mark = os.path.getsize(report) if os.path.exists(report) else 0
		out = spatch(rule, [os.path.join(new_root, r) for r in todo],
			     rule_settings(args, report, exclude, rule), args.jobs, workdir)
		original_lines(report, mark, before, orig_root, new_root)
		for line in out.splitlines():
			m = re.search(r'EXN: (.*) in (\S+)$', line)
			if m:
				rel = os.path.relpath(m.group(2), new_root)
				problems.setdefault(rel, []).append('spatch %s: %s' % (rule, m.group(1)[:200]))
		for rel in rels:
			p = os.path.join(new_root, rel)
			with open(p) as f:
				after = f.read()
			if after == before[rel]:
				continue
			fixed = fixup.fix(before[rel], after)
			if fixed != after:
				with open(p, 'w') as f:
					f.write(fixed)
			if rule == 'lock_guard':
				safecocci._plans.clear()
				safecocci._cache.clear()
				# the settings the rule ran with, without its report
				safecocci.configure(args.profile, '', exclude,
						    missing_classes=args.missing or '')
				probs = safecocci.verify_locks(os.path.join(snap, rel), p)
				if probs:
					problems.setdefault(rel, []).extend('plan not applied: ' + x for x in probs)
	return problems


# --------------------------------------------------------------------------
# Builds
# --------------------------------------------------------------------------

def tree_id(ksrc):
	h = hashlib.sha1(os.path.realpath(ksrc).encode()).hexdigest()[:8]
	return '%s-%s' % (os.path.basename(os.path.realpath(ksrc)), h)


def tree_version(ksrc):
	v = {}
	with open(os.path.join(ksrc, 'Makefile')) as f:
		for line in f:
			m = re.match(r'^(VERSION|PATCHLEVEL|SUBLEVEL) = (\d+)', line)
			if m:
				v[m.group(1)] = m.group(2)
			if len(v) == 3:
				break
	return '%s.%s.%s' % (v.get('VERSION'), v.get('PATCHLEVEL'), v.get('SUBLEVEL'))


def find_config(ksrc):
	if os.path.exists(os.path.join(ksrc, '.config')):
		return os.path.join(ksrc, '.config')
	ver = tree_version(ksrc)
	mm = '.'.join(ver.split('.')[:2])
	cands = []
	for d in ('/usr/src', '/boot'):
		if not os.path.isdir(d):
			continue
		for n in sorted(os.listdir(d)):
			p = os.path.join(d, n, '.config') if d == '/usr/src' else os.path.join(d, n)
			base = n.replace('linux-headers-', '').replace('config-', '')
			if (base.startswith(mm + '.') or base.startswith(mm + '-')) and \
			   os.path.isfile(p) and (d == '/boot' or n.endswith('-amd64')):
				cands.append(p)
	return cands[-1] if cands else None


def prepare_build(ksrc, cc, jobs):
	bdir = os.path.join(CACHE, 'cocci', 'build', '%s-%s' % (tree_id(ksrc), cc))
	stamp = os.path.join(bdir, '.safe-prepared')
	if os.path.exists(stamp):
		return bdir
	os.makedirs(os.path.join(CACHE, 'locks'), exist_ok=True)
	lock = os.path.join(CACHE, 'locks', 'cocci-build-%s-%s' % (tree_id(ksrc), cc))
	cfg = find_config(ksrc)
	llvm = ['LLVM=1'] if cc == 'clang' else []
	script = 'set -e; [ -f "$1/.safe-prepared" ] && exit 0; mkdir -p "$1"; '
	if cfg:
		script += 'cp "$4" "$1/.config"; nice make -s -C "$2" O="$1" %s olddefconfig; ' % ' '.join(llvm)
	else:
		script += 'nice make -s -C "$2" O="$1" %s x86_64_defconfig; ' % ' '.join(llvm)
	script += 'nice make -s -C "$2" O="$1" %s -j"$3" modules_prepare; touch "$1/.safe-prepared"' % ' '.join(llvm)
	log('  preparing %s build directory %s (once)' % (cc, bdir))
	r = run(['flock', lock, 'bash', '-c', script, '_', bdir, ksrc, str(jobs), cfg or ''])
	if r.returncode != 0 or not os.path.exists(stamp):
		raise RuntimeError('cannot prepare %s: %s' % (bdir, r.stdout[-2000:]))
	return bdir


def baseline(ksrc, bdir, cc, rels, jobs):
	"""Build the original objects once through kbuild; return their
	compile commands (None where kbuild cannot build the file)."""
	targets = [r[:-2] + '.o' for r in rels]
	cmds = {}
	todo = [t for t in targets if not os.path.exists(cmdfile(bdir, t))]
	if todo:
		llvm = ['LLVM=1'] if cc == 'clang' else []
		lock = os.path.join(CACHE, 'locks', 'cocci-build-%s-%s' % (tree_id(ksrc), cc))
		for i in range(0, len(todo), 200):
			run(['flock', lock, 'nice', 'make', '-s', '-k', '-C', ksrc, 'O=' + bdir,
			     'W=1', '-j%d' % jobs] + llvm + todo[i:i + 200])
	for rel, t in zip(rels, targets):
		cmds[rel] = read_cmd(bdir, t)
	return cmds


def cmdfile(bdir, target):
	d, b = os.path.split(target)
	return os.path.join(bdir, d, '.' + b + '.cmd')


def read_cmd(bdir, target):
	p = cmdfile(bdir, target)
	if not os.path.exists(p):
		return None
	with open(p, errors='replace') as f:
		for line in f:
			if line.startswith('savedcmd_') or line.startswith('cmd_'):
				c = line.split(':=', 1)[1].strip()
				# the compiler only: objtool and friends follow after ';'
				return c.split(' ; ')[0].split('; ')[0]
	return None


def safe_cflags(bdir, cmd):
	"""What safe.kbuild adds for a file that includes <linux/safe/...>,
	as in the in-tree consumption mode (safe as drivers/safe): safe's
	include path and the feature probe of this build directory."""
	feat = os.path.join(bdir, '.safe', 'features.h')
	if not os.path.exists(feat):
		os.makedirs(os.path.dirname(feat), exist_ok=True)
		words = []
		skip = False
		for w in shlex.split(cmd):
			if skip:
				skip = False
				continue
			if w == '-o':
				skip = True
				continue
			if w == '-c' or w.startswith('-Wp,-MMD') or w.endswith('.c'):
				continue
			words.append(w)
		run(['sh', os.path.join(HERE, '..', 'scripts', 'probe-features.sh'), feat,
		     os.path.realpath(os.path.join(bdir, 'source')) if os.path.exists(os.path.join(bdir, 'source')) else bdir,
		     bdir] + words, cwd=bdir)
	return ' -I%s -DSAFE_FEATURES_H=\'"%s"\'' % (os.path.realpath(os.path.join(HERE, '..', 'include')), feat)


def compile_one(ksrc, bdir, cmd, rel, src, tmpdir, werror=True):
	"""Compile src as if it were TREE/rel; returns (ok, output)."""
	tmpdir = tempfile.mkdtemp(dir=tmpdir)
	obj = os.path.join(tmpdir, os.path.basename(rel)[:-2] + '.o')
	dep = obj + '.d'
	absrel = os.path.join(os.path.realpath(ksrc), rel)
	c = cmd
	c = c.replace(absrel, src)
	if src not in c:
		c = c.replace(rel, src)
	c = re.sub(r'-Wp,-MMD,\S+', '-Wp,-MMD,' + dep, c)
	c = re.sub(r'(-o )\S+\.o\b', r'\g<1>' + obj, c)
	c += ' -iquote %s' % os.path.dirname(absrel)
	with open(src, errors='replace') as f:
		if '<linux/safe/' in f.read():
			c += safe_cflags(bdir, cmd)
	if werror:
		c += ' -Werror'
	r = run(['bash', '-c', c], cwd=bdir)
	shutil.rmtree(tmpdir, ignore_errors=True)
	return r.returncode == 0, r.stdout


def first_errors(out, n=2):
	lines = [x for x in out.splitlines() if 'error' in x or 'warning' in x]
	return ' | '.join(x.strip() for x in lines[:n])[:400]


def error_lines(out, src):
	lines = set()
	for m in re.finditer(re.escape(src) + r':(\d+):\d+: (?:error|warning)', out):
		lines.add(int(m.group(1)))
	return lines


def oot_make(kdir, moddir, cc, log_path, extra=()):
	"""Build the module in moddir against kdir, W=1; (ok, warnings)."""
	cmd = ['make', '-C', kdir, 'M=' + moddir, 'W=1'] + list(extra) + ['modules']
	if cc == 'clang':
		cmd.insert(1, 'LLVM=1')
	r = run(cmd)
	with open(log_path, 'w') as f:
		f.write(r.stdout)
	warn = [re.sub(r'^\S+/', '', x) for x in r.stdout.splitlines() if re.search(r'(warning|error):', x)]
	return r.returncode == 0, warn


def file_has(path, text):
	with open(path, errors='replace') as f:
		return text in f.read()


def uses_safe(path):
	return file_has(path, '<linux/safe/')


def oot_safe(kdir, cc, work):
	"""safe.ko built against kdir with cc, for a converted out-of-tree
	module to link against as its users do (safe.kbuild and
	KBUILD_EXTRA_SYMBOLS); the make arguments, or None when it does not
	build."""
	src = os.path.join(work, 'safe-' + cc)
	top = os.path.realpath(os.path.join(HERE, '..'))
	run(['rsync', '-a', '--include', '/include/***', '--include', '/lib/***',
	     '--include', '/scripts/', '--include', '/scripts/probe-features.sh',
	     '--include', '/scripts/gen-embed.sh', '--include', '/Kbuild',
	     '--include', '/safe.kbuild', '--exclude', '*', top + '/', src + '/'])
	ok, _ = oot_make(kdir, src, cc, os.path.join(work, 'oot-safe-%s.log' % cc))
	if not ok:
		return None
	return ['KBUILD_EXTRA_SYMBOLS=' + os.path.join(src, 'Module.symvers')]


def add_safe_kbuild(moddir):
	"""The converted copy includes <linux/safe/...>: its Kbuild (or
	Makefile) includes safe.kbuild, as a module written with safe does."""
	for name in ('Kbuild', 'Makefile'):
		mk = os.path.join(moddir, name)
		if os.path.exists(mk):
			with open(mk) as f:
				text = f.read()
			if 'safe.kbuild' not in text:
				with open(mk, 'w') as f:
					f.write('include %s\n%s' % (os.path.realpath(os.path.join(HERE, '..', 'safe.kbuild')), text))
			return


def forget_sites(report, new_root, rels):
	"""Drop the report's lines for files about to be converted again: the
	new run reports each of their sites anew."""
	if not os.path.exists(report):
		return
	keep = []
	with open(report) as f:
		lines = f.readlines()
	for line in lines:
		p = line.split('\t')
		if len(p) > 1 and p[0] != 'feat' and ':' in p[1]:
			rel = os.path.relpath(os.path.realpath(p[1].rsplit(':', 1)[0]), os.path.realpath(new_root))
			if rel in rels:
				continue
		keep.append(line)
	with open(report, 'w') as f:
		f.writelines(keep)


def oot_check(args, root, d, kdir, compilers, changed, status, new_root, work, report, exclude, rules):
	"""An out-of-tree module builds as a whole: build the original and the
	converted copy with each compiler (W=1); the conversion must build
	and add no warning.  Functions that break it are excluded and the
	files redone; what still fails is dropped."""
	if not changed:
		return
	copies = {}
	for which, src in (('orig', root), ('new', None)):
		dst = os.path.join(work, 'oot-' + which)
		shutil.rmtree(dst, ignore_errors=True)
		run(['rsync', '-a', '--exclude', '.git', '--exclude', '*.o', '--exclude', '*.ko',
		     '--exclude', '.*.cmd', '--exclude', '.work', root + '/', dst + '/'])
		copies[which] = dst
	for rounds in range(4):
		for rel in changed:
			shutil.copyfile(os.path.join(new_root, rel) if rel not in status else os.path.join(root, rel),
					os.path.join(copies['new'], rel))
		bad = {}
		safe = any(uses_safe(os.path.join(copies['new'], rel)) for rel in changed)
		if safe:
			add_safe_kbuild(os.path.join(copies['new'], d))
		for cc in compilers:
			ok0, w0 = oot_make(kdir, os.path.join(copies['orig'], d), cc, os.path.join(work, 'oot-orig-%s.log' % cc))
			margs = []
			if safe:
				margs = oot_safe(kdir, cc, work)
				if margs is None:
					log('migrate: safe.ko does not build with %s against %s: %s not checked' % (cc, kdir, cc))
					continue
			ok1, w1 = oot_make(kdir, os.path.join(copies['new'], d), cc, os.path.join(work, 'oot-new-%s.log' % cc), margs)
			if not ok0:
				log('migrate: the original does not build with %s against %s: %s not checked' % (cc, kdir, cc))
				continue
			extra = [x for x in w1 if x not in w0]
			if ok1 and not extra:
				continue
			msg = ' | '.join(extra[:2]) or 'build failed'
			for rel in changed:
				if rel in status:
					continue
				src = os.path.join(copies['new'], rel)
				lines = set()
				for x in extra:
					m = re.match(re.escape(os.path.basename(rel)) + r':(\d+):', x)
					if m:
						lines.add(int(m.group(1)))
				cf = safecocci.CFile(src)
				for ln in lines:
					for f in cf.funcs:
						if f.start_line <= ln <= f.end_line:
							bad.setdefault(rel, {})[f.name] = 'dropped: does not build with %s: %s' % (cc, msg[:200])
				if rel not in bad and (extra or not ok1):
					status[rel] = ('dropped', 'does not build with %s: %s' % (cc, msg[:400]))
		if not bad:
			return
		if rounds == 3:
			for rel in bad:
				status[rel] = ('dropped', 'still does not build after excluding functions')
			return
		with open(exclude, 'a') as f:
			for rel, fns in bad.items():
				for fn, why in fns.items():
					f.write('%s\t%s\t%s\n' % (rel, fn, why.replace('\t', ' ')))
		retry = sorted(bad)
		log('migrate: redoing %d file(s) without the functions that did not build' % len(retry))
		forget_sites(report, new_root, retry)
		convert(args, retry, root, new_root, work, report, exclude, rules)


# --------------------------------------------------------------------------
# Patches
# --------------------------------------------------------------------------

def subject_for(rel, kinds):
	parts = rel.split('/')
	stem = os.path.splitext(parts[-1])[0]
	sub = parts[-2] if len(parts) > 1 else 'drivers'
	what = []
	if 'lock' in kinds:
		what.append('guard()')
	if 'free' in kinds:
		what.append('__free()')
	if 'dma' in kinds:
		what.append('owned DMA buffers')
	return '%s: %s: use %s' % (sub, stem, ' and '.join(what) or 'cleanup helpers')


# safe's replacements for copy_{from,to}_user() that fault differently
USER_COPIES = ('safe_dma_copy_from_user(', 'safe_dma_copy_to_user(')

SAFE_KBUILD = 'include $(srctree)/drivers/safe/safe.kbuild'


def kbuild_hunk(tree, rel, new):
	"""In a kernel tree, a file that now includes <linux/safe/...> needs its
	directory's Makefile to include safe.kbuild (the in-tree consumption
	mode, safe as drivers/safe): (Makefile path, old text, new text), or
	None."""
	with open(new, errors='replace') as f:
		if '<linux/safe/' not in f.read():
			return None
	mk = os.path.join(os.path.dirname(rel), 'Makefile')
	if not os.path.exists(os.path.join(tree, mk)):
		return None
	with open(os.path.join(tree, mk), errors='replace') as f:
		old = f.read()
	if SAFE_KBUILD in old:
		return None
	return mk, old, old.rstrip('\n') + '\n\n' + SAFE_KBUILD + '\n'


def write_patch(path, n, total, rel, orig, new, sites, tree=None):
	kinds = set()
	for s in sites:
		kinds.add(s['rule'])
	body = []
	by_fn = {}
	for s in sites:
		by_fn.setdefault(s['func'], []).append(s)
	body.append('Convert %d site%s in %d function%s with the safe migration rules' %
		    (len(sites), '' if len(sites) == 1 else 's', len(by_fn), '' if len(by_fn) == 1 else 's'))
	body.append('(coccinelle/*.cocci); each was proven path by path to keep the')
	body.append('locking and ownership of the original, and the result builds with')
	body.append('gcc and clang (W=1, -Werror).')
	body.append('')
	for fn in sorted(by_fn):
		items = sorted(set('%s -> %s' % (s['what'], s['verdict']) for s in by_fn[fn]))
		body.append('  %s():' % fn)
		for it in items:
			words = it.split(' ')
			line = '    '
			for w in words:
				if len(line) + len(w) + 1 > 72 and line.strip():
					body.append(line.rstrip())
					line = '      '
				line += w + ' '
			body.append(line.rstrip())
	with tempfile.TemporaryDirectory() as td:
		a = os.path.join(td, 'a', rel)
		b = os.path.join(td, 'b', rel)
		os.makedirs(os.path.dirname(a))
		os.makedirs(os.path.dirname(b))
		shutil.copyfile(orig, a)
		shutil.copyfile(new, b)
		d = run(['diff', '-u', 'a/' + rel, 'b/' + rel], cwd=td).stdout
		d = re.sub(r'^--- a/(\S+)\t.*$', r'--- a/\1', d, count=1, flags=re.M)
		d = re.sub(r'^\+\+\+ b/(\S+)\t.*$', r'+++ b/\1', d, count=1, flags=re.M)
		kb = kbuild_hunk(tree, rel, new) if tree else None
		dmk = ''
		if kb:
			mk, old, text = kb
			for side, t in (('a', old), ('b', text)):
				os.makedirs(os.path.dirname(os.path.join(td, side, mk)), exist_ok=True)
				with open(os.path.join(td, side, mk), 'w') as f:
					f.write(t)
			d2 = run(['diff', '-u', 'a/' + mk, 'b/' + mk], cwd=td).stdout
			d2 = re.sub(r'^--- a/(\S+)\t.*$', r'--- a/\1', d2, count=1, flags=re.M)
			d2 = re.sub(r'^\+\+\+ b/(\S+)\t.*$', r'+++ b/\1', d2, count=1, flags=re.M)
			dmk = '\ndiff --git a/%s b/%s\n%s' % (mk, mk, d2)
		stat = run(['diffstat', '-p1'], input=dmk + d, cwd=td) if shutil.which('diffstat') else None
	with open(path, 'w') as f:
		f.write('From: safe migrate <safe-migrate@localhost>\n')
		f.write('Subject: [PATCH %d/%d] %s\n\n' % (n, total, subject_for(rel, kinds)))
		f.write('\n'.join(body) + '\n---\n')
		if stat is not None and stat.returncode == 0:
			f.write(stat.stdout)
		f.write(dmk)
		f.write('\ndiff --git a/%s b/%s\n' % (rel, rel))
		f.write(d)


def checkpatch(ksrc, patch):
	cp = os.path.join(ksrc, 'scripts', 'checkpatch.pl')
	r = run(['perl', cp, '--strict', '--no-signoff', '--show-types', '--terse', patch], cwd=ksrc)
	issues = [x for x in r.stdout.splitlines() if re.search(r': (ERROR|WARNING|CHECK):', x)]
	return issues


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------

def read_report(report, new_root, rels):
	"""Site lines: rule, rel, line, func, what, verdict, reason."""
	sites = []
	if not os.path.exists(report):
		return sites
	seen = set()
	for line in open(report):
		p = line.rstrip('\n').split('\t')
		if len(p) < 6 or p[0] == 'feat':
			continue
		path, ln = p[1].rsplit(':', 1)
		rel = os.path.relpath(os.path.realpath(path), os.path.realpath(new_root))
		if rel.startswith('..'):
			continue
		key = (p[0], rel, ln, p[3], p[4])
		if key in seen:
			continue
		seen.add(key)
		sites.append({'rule': {'locks': 'lock', 'free': 'free', 'dma': 'dma'}.get(p[0], p[0]),
			      'rel': rel, 'line': int(ln), 'func': p[2], 'what': p[3],
			      'verdict': p[4], 'reason': p[5] if len(p) > 5 else ''})
	return sites


def headers_source(kdir):
	"""The tree whose include/linux a build directory KDIR compiles with.

	A kernel build directory (O=) has a "source" link; Debian's
	linux-headers-*-<flavour> directory has a Makefile that includes the
	-common directory's."""
	if os.path.exists(os.path.join(kdir, 'include', 'linux', 'mutex.h')):
		return kdir
	if os.path.isdir(os.path.join(kdir, 'source')):
		return os.path.realpath(os.path.join(kdir, 'source'))
	try:
		with open(os.path.join(kdir, 'Makefile')) as fh:
			m = re.search(r'^include\s+(\S+)/Makefile\s*$', fh.read(), re.M)
	except OSError:
		m = None
	return m.group(1) if m else kdir


def main(argv):
	ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
	ap.add_argument('--ksrc', required=True)
	ap.add_argument('--dir', required=True)
	ap.add_argument('--profile', default='default')
	ap.add_argument('--out', default=None)
	ap.add_argument('--rules', default=','.join(RULES))
	ap.add_argument('--jobs', type=int, default=2)
	ap.add_argument('--compilers', default='gcc,clang')
	ap.add_argument('--no-build', action='store_true', help='skip the compile checks')
	ap.add_argument('--files', default=None, help='a file listing the files to consider (relative to KSRC)')
	ap.add_argument('--json', default=None, help='write the results as JSON here')
	ap.add_argument('--kdir', default=None,
			help='for a directory outside KSRC (an out-of-tree module): the kernel build directory to build it against')
	args = ap.parse_args(argv[1:])
	t0 = time.time()
	ksrc = os.path.realpath(args.ksrc)
	if not os.path.exists(os.path.join(ksrc, 'Makefile')):
		log('migrate: %s is not a kernel tree' % ksrc)
		return 2
	cp_tree = ksrc		# where checkpatch.pl comes from
	oot = None
	d = os.path.realpath(args.dir) if os.path.isabs(args.dir) or not os.path.exists(os.path.join(ksrc, args.dir)) \
		else os.path.join(ksrc, args.dir)
	if not os.path.isdir(d):
		log('migrate: no directory %s' % args.dir)
		return 2
	if os.path.relpath(d, ksrc).startswith('..'):
		# an out-of-tree module: its files are relative to the
		# repository that holds it (Kbuild files may reach its parents)
		if not args.kdir:
			log('migrate: %s is outside %s: pass --kdir (KDIR=) to build it' % (args.dir, ksrc))
			return 2
		top = run(['git', '-C', d, 'rev-parse', '--show-toplevel']).stdout.strip()
		if not top or not os.path.isdir(top):
			top = os.path.dirname(d)
		oot = os.path.realpath(args.kdir)
		ksrc = os.path.realpath(top)
	d = os.path.relpath(d, ksrc).rstrip('/')
	safecocci.load_profile(args.profile)	# fail early on a bad profile
	prof = safecocci.load_profile(args.profile)
	rules = [r for r in args.rules.split(',') if r]
	if prof['free'] == 'no' and 'free_ptr' in rules:
		rules.remove('free_ptr')
	if prof['dma'] == 'no' and 'dma_buf' in rules:
		rules.remove('dma_buf')
	rules = [r for r in rules if os.path.exists(os.path.join(HERE, r + '.cocci'))]
	# The classes the rules may use are those of the kernel the result
	# builds against: KDIR's headers for an out-of-tree module.
	args.missing = ','.join(safecocci.missing_classes(headers_source(oot) if oot else cp_tree))
	slug = re.sub(r'[^A-Za-z0-9]+', '-', d).strip('-') or 'root'
	out = args.out or os.path.join(CACHE, 'cocci', 'migrate', '%s-%s-%s' % (tree_id(ksrc), slug, os.path.basename(args.profile).replace('.profile', '')))
	args.oot = oot
	out = os.path.abspath(out)
	shutil.rmtree(out, ignore_errors=True)
	os.makedirs(out)
	work = os.path.join(out, '.work')
	os.makedirs(work)
	# candidates
	rels = []
	if args.files:
		rels = [x.strip() for x in open(args.files) if x.strip()]
	else:
		for root, dirs, files in os.walk(os.path.join(ksrc, d)):
			dirs.sort()
			for fn in sorted(files):
				if fn.endswith('.c'):
					rels.append(os.path.relpath(os.path.join(root, fn), ksrc))
	cand = []
	for rel in rels:
		try:
			with open(os.path.join(ksrc, rel), errors='replace') as f:
				if CANDIDATE.search(f.read()):
					cand.append(rel)
		except OSError:
			pass
	log('migrate: %s in %s, profile %s, rules %s: %d files, %d with candidate sites'
	    % (d, ksrc, args.profile, ' '.join(rules), len(rels), len(cand)))
	new_root = os.path.join(work, 'new')
	report = os.path.join(work, 'report.tsv')
	exclude = os.path.join(work, 'exclude.tsv')
	open(exclude, 'w').close()
	problems = convert(args, cand, ksrc, new_root, work, report, exclude, rules)
	changed = []
	for rel in cand:
		with open(os.path.join(ksrc, rel), errors='replace') as a, \
		     open(os.path.join(new_root, rel), errors='replace') as b:
			if a.read() != b.read():
				changed.append(rel)
	t_spatch = time.time() - t0
	log('migrate: spatch changed %d files (%.0fs)' % (len(changed), t_spatch))
	status = {}		# rel -> (verdict, reason)
	for rel in changed:
		if rel in problems:
			status[rel] = ('dropped', '; '.join(problems[rel])[:500])
	# ---- builds
	compilers = [c for c in args.compilers.split(',') if c] if not args.no_build else []
	build = {}
	if oot:
		compilers_oot, compilers = compilers, []
		oot_check(args, ksrc, d, oot, compilers_oot, changed, status, new_root, work, report, exclude, rules)
	for cc in compilers:
		try:
			bdir = prepare_build(ksrc, cc, args.jobs)
		except RuntimeError as e:
			log('migrate: %s' % e)
			return 1
		build[cc] = (bdir, baseline(ksrc, bdir, cc, [r for r in changed if r not in status], args.jobs))
	tmpdir = os.path.join(work, 'obj')
	os.makedirs(tmpdir)
	orig_clean = {}
	def check(rel, rounds):
		"""(dropped reason or None, functions to exclude) for one file."""
		src = os.path.join(new_root, rel)
		excl_funcs = {}
		for cc in compilers:
			bdir, cmds = build[cc]
			cmd = cmds.get(rel)
			if cmd is None:
				return 'does not build in this tree before the change (%s; not in this config or arch)' % cc, {}
			# -Werror first; only when that fails does the original's
			# own W=1 output matter
			ok, o = compile_one(ksrc, bdir, cmd, rel, src, tmpdir, True)
			if not ok and (rel, cc) not in orig_clean:
				ok0, o0 = compile_one(ksrc, bdir, cmd, rel, os.path.join(ksrc, rel), tmpdir, True)
				orig_clean[(rel, cc)] = ok0
			if not ok and not orig_clean[(rel, cc)]:
				ok, o = compile_one(ksrc, bdir, cmd, rel, src, tmpdir, False)
			if ok and not orig_clean.get((rel, cc), True):
				# the original has W=1 warnings already: no new ones
				_, w0 = compile_one(ksrc, bdir, cmd, rel, os.path.join(ksrc, rel), tmpdir, False)
				_, w1 = compile_one(ksrc, bdir, cmd, rel, src, tmpdir, False)
				norm = lambda s: sorted(set(re.sub(r'^\S+:\d+:\d+: ', '', x) for x in s.splitlines() if 'warning:' in x))
				extra = [x for x in norm(w1) if x not in norm(w0)]
				if extra:
					ok = False
					o = w1
			if rounds == 0:
				first_build.setdefault(rel, {})[cc] = ok
			if not ok:
				if rounds == 0:
					# for the record (make eval-migrate): the others too
					for cc2 in compilers[compilers.index(cc) + 1:]:
						b2, c2 = build[cc2]
						if c2.get(rel) is not None:
							first_build[rel][cc2] = compile_one(ksrc, b2, c2[rel], rel, src, tmpdir, True)[0]
				lines = error_lines(o, src)
				cf = safecocci.CFile(src)
				for ln in lines:
					for f in cf.funcs:
						if f.start_line <= ln <= f.end_line:
							excl_funcs[f.name] = 'dropped: does not build with %s: %s' % (cc, first_errors(o, 1))
				if not excl_funcs or rounds == 3:
					return 'does not build with %s: %s' % (cc, first_errors(o)), {}
				return None, excl_funcs
		return None, {}

	first_build = {}
	pool = concurrent.futures.ThreadPoolExecutor(max(1, args.jobs))
	for rounds in range(4):
		retry = []
		todo = [rel for rel in changed if rel not in status]
		results = dict(zip(todo, pool.map(lambda r: check(r, rounds), todo)))
		for rel in todo:
			why, excl_funcs = results[rel]
			if why is not None:
				status[rel] = ('dropped', why)
			if rel in status:
				continue
			if excl_funcs:
				with open(exclude, 'a') as f:
					for fn, why in excl_funcs.items():
						f.write('%s\t%s\t%s\n' % (rel, fn, why.replace('\t', ' ')))
				retry.append(rel)
		if not retry:
			break
		log('migrate: redoing %d file(s) without the functions that did not build' % len(retry))
		forget_sites(report, new_root, retry)
		p2 = convert(args, retry, ksrc, new_root, work, report, exclude, rules)
		for rel in retry:
			if rel in p2:
				status[rel] = ('dropped', '; '.join(p2[rel])[:500])
			with open(os.path.join(ksrc, rel), errors='replace') as a, \
			     open(os.path.join(new_root, rel), errors='replace') as b:
				if a.read() == b.read():
					status[rel] = ('unchanged', 'every change in it was excluded')
	# ---- idempotence
	accepted = [r for r in changed if r not in status]
	again_root = os.path.join(work, 'again')
	if accepted:
		convert(args, accepted, new_root, again_root, work, os.path.join(work, 'report-again.tsv'),
			exclude, rules)
		for rel in accepted:
			with open(os.path.join(new_root, rel)) as a, open(os.path.join(again_root, rel)) as b:
				if a.read() != b.read():
					status[rel] = ('dropped', 'not idempotent: a second run changes it again')
	accepted = [r for r in changed if r not in status]
	# ---- report
	sites = read_report(report, new_root, cand)
	for s in sites:
		st = status.get(s['rel'])
		if s['verdict'] in ('guard', 'scoped', 'free', 'devm', 'dma', 'converted') and st is not None and st[0] != 'accepted':
			s['verdict'] = 'skip'
			s['reason'] = 'file ' + st[1]
	# ---- patches
	series = []
	total = len(accepted)
	cp_issues = {}
	for n, rel in enumerate(accepted, 1):
		name = '%04d-%s.patch' % (n, re.sub(r'[^A-Za-z0-9]+', '-', rel[:-2]).strip('-'))
		p = os.path.join(out, name)
		fs = [s for s in sites if s['rel'] == rel and s['verdict'] not in ('skip',)]
		write_patch(p, n, total, rel, os.path.join(ksrc, rel), os.path.join(new_root, rel), fs,
			    None if args.oot else ksrc)
		series.append(name)
		status[rel] = ('accepted', name)
	with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
		for rel, iss in zip(accepted, ex.map(lambda n: checkpatch(cp_tree, os.path.join(out, n)), series)):
			cp_issues[rel] = iss
	with open(os.path.join(out, 'series'), 'w') as f:
		f.write(''.join(x + '\n' for x in series))
	# ---- print
	lines = []
	lines.append('# safe migrate: %s (tree %s, profile %s)' % (d, ksrc, args.profile))
	for s in sorted(sites, key=lambda s: (s['rel'], s['line'])):
		v = s['verdict']
		tag = 'converted' if v not in ('skip',) else 'skipped'
		lines.append('%-9s %s:%d %s() %s%s' % (tag, s['rel'], s['line'], s['func'], s['what'],
						     (' -> ' + v if tag == 'converted' else ': ' + s['reason'])))
	lines.append('')
	for rel in changed:
		v, why = status.get(rel, ('?', ''))
		if v == 'accepted':
			iss = cp_issues.get(rel, [])
			lines.append('patch     %s  %s  checkpatch --strict: %s' % (why, rel, 'clean' if not iss else '%d issue(s)' % len(iss)))
			for x in iss[:5]:
				lines.append('            ' + x)
		else:
			lines.append('%-9s %s: %s' % (v, rel, why))
	# what the site lines cannot show
	if accepted:
		lines.append('note      no revocation is added: code that runs after remove() (an open')
		lines.append('          file, a timer, work) reaches the device and its memory as before')
	if args.oot and any(uses_safe(os.path.join(new_root, rel)) for rel in accepted):
		mk = [os.path.join(d, x) for x in ('Kbuild', 'Makefile') if os.path.exists(os.path.join(ksrc, d, x))]
		if mk and not any(file_has(os.path.join(ksrc, x), 'safe.kbuild') for x in mk):
			lines.append('note      %s must include safe.kbuild and the module link against safe.ko' % mk[0])
			lines.append('          (KBUILD_EXTRA_SYMBOLS) for the patches to build, as the build check did')
	for rel in accepted:
		with open(os.path.join(ksrc, rel), errors='replace') as a, \
		     open(os.path.join(new_root, rel), errors='replace') as b:
			was, now = a.read(), b.read()
		if any(now.count(x) > was.count(x) for x in USER_COPIES):
			lines.append('note      %s: safe_dma_copy_{from,to}_user() copy with page faults' % rel)
			lines.append('          disabled: a user buffer that is not resident fails with -EFAULT')
	conv = [s for s in sites if s['verdict'] != 'skip']
	skip = [s for s in sites if s['verdict'] == 'skip']
	lines.append('')
	lines.append('%d sites converted, %d skipped; %d files changed, %d patches, %d dropped; %d checkpatch-clean; %.0fs'
		     % (len(conv), len(skip), len(changed), len(accepted),
			len([r for r in changed if status.get(r, ('',))[0] == 'dropped']),
			len([r for r in accepted if not cp_issues.get(r)]), time.time() - t0))
	lines.append('series: %s' % os.path.join(out, 'series'))
	text = '\n'.join(lines) + '\n'
	with open(os.path.join(out, 'report.txt'), 'w') as f:
		f.write(text)
	sys.stdout.write(text)
	if args.json:
		with open(args.json, 'w') as f:
			json.dump({'sites': sites, 'status': status, 'changed': changed,
				   'accepted': accepted, 'checkpatch': cp_issues,
				   'candidates': cand, 'spatch_seconds': t_spatch,
				   'first_build': first_build,
				   'seconds': time.time() - t0}, f, indent=1)
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
