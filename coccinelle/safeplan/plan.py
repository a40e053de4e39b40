# SPDX-License-Identifier: GPL-2.0
"""
safeplan.plan - what a rule applies: a Plan maps token positions (line,
column) to named edit kinds, and apply_sites() turns the sites a rule
family accepted into edits, together with what they make redundant: the
unlocks or frees that go, the gotos to a label that only released and
returned (they become that return), the labels nothing jumps to any more,
and the variables left unused.
"""

import os

from .cfront import *  # noqa: F401,F403

# the -D safe_exclude file of this run (safecocci.configure())
SETTINGS = {'exclude': None}


class Plan(object):
	def __init__(self, path):
		self.path = path
		self.edits = {}		# (line, col) -> (kind, data)
		self.report = []	# (line, func, what, verdict, reason)
		self.funcs = set()	# functions changed
		self.headers = set()
		self.verify = []	# (func, expected counts) for make migrate
		self.features = []
		self.sites = []		# (func, lock fn, key, kind, unlocks removed)
		self.lock_sites = []	# (Func, LockSite): every lock site seen

	def add(self, tok, kind, data=None):
		key = (tok.line, tok.col)
		old = self.edits.get(key)
		if old is not None and old != (kind, data):
			raise ValueError('conflicting edits at %s:%d:%d: %r %r' % (self.path, tok.line, tok.col, old, (kind, data)))
		self.edits[key] = (kind, data)

	def get(self, line, col):
		return self.edits.get((int(line), int(col)))


def func_too_long(f, limit):
	return limit and f.lines() > limit


def excluded_functions(path):
	"""Functions make migrate excluded after a failed build: EXCLUDE
	names a file of "path<TAB>function<TAB>why" lines."""
	out = {}
	fn = SETTINGS['exclude']
	if not fn or not os.path.exists(fn):
		return out
	rp = os.path.realpath(path)
	for line in open(fn):
		parts = line.rstrip('\n').split('\t')
		if len(parts) >= 3 and (rp == parts[0] or rp.endswith('/' + parts[0])):
			out[parts[1]] = parts[2]
	return out




def apply_sites(cf, f, lp, sites, prof, plan):
	"""Turn accepted sites into edits, with the labels, gotos and
	variables they make redundant.  Sites of one kind per call."""
	toks = cf.toks
	if not sites:
		return
	# ---- labels and gotos made redundant
	dropped = set()
	for st in sites:
		dropped.update(st.dropped())
	guards = [st for st in sites if st.kind in ('guard', 'free')]

	# "goto out;" -> "return;" for the lock rule only
	void = is_void(f) and all(st.kind in ('guard', 'scoped') for st in sites)

	def label_return(lab):
		"""The return statement a label leads to through labels and
		dropped unlocks only, if any; VOID_RETURN where that is the end
		of a void function or "return;"."""
		nd = f.cfg.labels.get(lab)
		seen = set()
		while nd is not None and nd.id not in seen:
			seen.add(nd.id)
			s = nd.stmt
			if s is None:
				return VOID_RETURN if void and nd is f.cfg.exit else None
			if s.kind in ('label', 'empty') or s in dropped or (nd.kind == 'cond' and s.kind == 'block'):
				if len(nd.succ) != 1:
					return None
				nd = nd.succ[0]
				continue
			if s.kind == 'return' and lp.trivial_after_unlock(s, None):
				if s.t1 == s.t0 + 1:
					return VOID_RETURN if void else None
				return s
			return None
		return None

	def in_guard_scope(s, g):
		B, lo, hi = g.region()
		return lp.in_region(s, B, lo, hi)

	in_scoped = in_guard_scope

	gotos = [nd.stmt for nd in f.cfg.gotos]
	by_label = {}
	for g in gotos:
		by_label.setdefault(g.name, []).append(g)
	rewrite = {}		# goto stmt -> return stmt it becomes
	for lab, gs in by_label.items():
		r = label_return(lab)
		if r is None:
			continue
		# only labels that used to unlock, or that gotos jump to
		# from outside a new guard's scope, are rewritten
		lnode = f.cfg.labels[lab]
		through_drop = False
		nd = lnode
		seen = set()
		while nd is not None and nd.stmt is not r and nd.id not in seen:
			seen.add(nd.id)
			if nd.stmt in dropped:
				through_drop = True
			if r is VOID_RETURN and nd.stmt is not None and nd.stmt.kind == 'return':
				break
			nd = nd.succ[0] if nd.succ else None
		in_some_guard = any(in_guard_scope(lnode.stmt, g) for g in guards)
		if not through_drop and not in_some_guard:
			continue
		# the return's names must be visible at every goto
		ok = True
		for k in (range(r.t0 + 1, r.t1) if r is not VOID_RETURN else ()):
			x = toks[k]
			if x.k == 'id' and x.t in f.locals and f.locals[x.t].parent is not f.body:
				ok = False
		if ok:
			for g in gs:
				# a goto in the error branch of a DMA allocation
				# stays: spatch rewrites that branch already
				if any(getattr(st, 'check', None) is not None and st.kind == 'free' and
				       st.check.t0 <= g.t0 <= st.check.t1 for st in sites if hasattr(st, 'hvar')):
					continue
				rewrite[g] = r
	# gotos from outside a guard's scope into it must be rewritten
	final = []
	for st in sites:
		bad = None
		if st.kind in ('guard', 'free'):
			for g in gotos:
				tgt = f.cfg.labels[g.name].stmt
				if in_guard_scope(tgt, st) and not in_guard_scope(g, st) and g not in rewrite:
					bad = 'a goto at line %d jumps into the %s scope' % (
						toks[g.t0].line, 'guard\'s' if st.kind == 'guard' else '__free() variable\'s')
					break
		if st.kind == 'scoped':
			for g in gotos:
				tgt = f.cfg.labels[g.name].stmt
				if in_scoped(tgt, st) and not in_scoped(g, st):
					bad = 'a goto at line %d jumps into the critical section' % toks[g.t0].line
					break
			for lab in getattr(st, 'inner_labels', ()):
				if not all(g in rewrite for g in by_label.get(lab, ())):
					bad = 'label %s inside the critical section stays: a goto to it does not become a return' % lab
					break
		if not bad:
			for d in st.dropped():
				if d.parent is None or d.parent.kind != 'block':
					bad = 'line %d would become an empty statement: it is a whole branch or loop body' % toks[d.t0].line
					break
			if bad:
				st.kind = 'skip'
				st.reason = bad
				continue
		if bad:
			if not st.fallback(prof):
				st.kind = 'skip'
				st.reason = bad
				continue
		final.append(st)
	sites = final
	if not sites:
		return
	# critical sections must nest: a scoped_guard() that takes in another
	# site's lock must take in all of that site's section, or the other
	# lock would be released at the new closing brace (hand-over-hand
	# locking: lock A; lock B; unlock A; ...; unlock B)
	lsites = [st for st in sites if st.kind in ('guard', 'scoped')]
	for x in lsites:
		if x.kind != 'scoped':
			continue
		B, lo, hi = x.region()
		for y in lsites:
			if y is x or not lp.in_region(y.stmt, B, lo, hi) or y.stmt.parent is not B:
				continue
			if y.kind == 'guard' or y.end.idx > hi:
				return fail_all(sites, plan, f, 'critical sections of %s() at line %d and %s() at line %d overlap without nesting' %
						(x.fn, x.line, y.fn, y.line))
	# recompute what is dropped with the final choice
	dropped = set()
	for st in sites:
		dropped.update(st.dropped())
	for g in list(rewrite):
		r = label_return(g.name)
		if r is None:
			del rewrite[g]
	# a label goes when nothing jumps to it any more
	dead_labels = set()
	for lab, gs in by_label.items():
		if all(g in rewrite for g in gs):
			dead_labels.add(lab)
	# statements that become unreachable: after a removed label, when
	# the statement before it cannot fall through
	dead = set()
	for lab in dead_labels:
		ls = f.cfg.labels[lab].stmt
		blk = ls.parent
		if blk is None or blk.kind != 'block':
			continue
		prev = blk.body[ls.idx - 1] if ls.idx > 0 else None
		k = ls.idx - 1
		while prev is not None and (prev in dropped or prev.kind == 'label' and prev.name in dead_labels):
			k -= 1
			prev = blk.body[k] if k >= 0 else None
		if prev is None or prev.kind not in ('return', 'goto'):
			continue
		if prev.kind == 'goto' and prev not in rewrite and prev.name != lab:
			pass
		k = ls.idx + 1
		while k < len(blk.body):
			x = blk.body[k]
			if x.kind == 'label' and x.name not in dead_labels:
				break
			if x in dropped or x.kind == 'label':
				k += 1
				continue
			if x.kind == 'return':
				dead.add(x)
				break
			break
	# a label that stays must not end up last in its block: clang (and
	# C before C23) wants a statement after it
	for lab in by_label:
		if lab in dead_labels:
			continue
		ls = f.cfg.labels[lab].stmt
		blk = ls.parent
		if blk is None or blk.kind != 'block':
			continue
		rest = [x for x in blk.body[ls.idx + 1:]
			if not (x in dropped or x in dead or x.kind == 'empty' or
				(x.kind == 'label' and x.name in dead_labels))]
		if not rest and any(x in dropped for x in blk.body[ls.idx + 1:]):
			return fail_all(sites, plan, f, 'label %s would end its block once the %s after it goes' %
					(lab, 'unlock' if sites[0].kind in ('guard', 'scoped') else 'free'))
	# ---- locals that would become unused or set-but-unused
	removed_tokens = set()

	def span(s):
		return range(s.t0, s.t1 + 1)
	for s in dropped:
		removed_tokens.update(span(s))
	for st in sites:
		removed_tokens.update(st.removed_tokens(cf))
	for s in dead:
		removed_tokens.update(span(s))
	assign_goto = {}
	for g, r in rewrite.items():
		blk = g.parent
		if r is not VOID_RETURN and blk is not None and blk.kind == 'block' and g.idx > 0:
			a = blk.body[g.idx - 1]
			nm = local_assign(cf, f, a)
			rv = cf.tokstr(r.t0 + 1, r.t1 - 1)
			if nm is not None and nm == rv and a not in dropped:
				# no label may sit between them
				assign_goto[g] = a
				removed_tokens.update(span(a))
	used_after = {}
	for k in range(f.b0, f.b1):
		x = toks[k]
		if k in removed_tokens or x.k != 'id' or x.t not in f.locals:
			continue
		used_after.setdefault(x.t, []).append(k)
	# returns added by goto rewriting read their variable
	for g, r in rewrite.items():
		if g in assign_goto or r is VOID_RETURN:
			continue
		for k in range(r.t0 + 1, r.t1):
			if toks[k].k == 'id':
				used_after.setdefault(toks[k].t, []).append(-1)
	unused_decls = []
	keep = set()
	for st in sites:
		keep.update(getattr(st, 'keep_vars', ()))
	# each declaration on its own: a name declared in two blocks (the
	# flags of two branches) is two variables
	for dstmt in [x for x in f.body.walk() if x.kind == 'decl']:
		blk = dstmt.parent
		end = blk.t1 if blk is not None else f.b1
		decl_toks = set(span(dstmt))
		for name, tk in decl_names(toks, dstmt):
			if name in keep:
				continue
			scope = [k for k in range(dstmt.t0, end + 1) if toks[k].k == 'id' and toks[k].t == name]
			before = [k for k in scope if k not in decl_toks]
			if not before:
				continue	# unused before us: not our business
			real = [k for k in before if k not in removed_tokens]
			real += [k for k in used_after.get(name, []) if k < 0]
			if real:
				# set but never read?
				reads = [k for k in real if k < 0 or not is_write(toks, k)]
				if not reads:
					return fail_all(sites, plan, f, 'variable %s would be set but not used' % name)
				continue
			init = has_init(toks, dstmt, tk)
			if init and not is_trivial_expr(cf, f, init[0], init[1]):
				return fail_all(sites, plan, f, 'variable %s would be unused but its initializer has side effects' % name)
			unused_decls.append((tk, dstmt, init is not None))
	# ---- emit
	for st in sites:
		st.emit(cf, plan)
		for d in st.drops:
			emit_drop(cf, f, plan, d, rewrite, assign_goto, dropped)
	for g, r in rewrite.items():
		if g in plan_handled:
			continue
		if r is VOID_RETURN:
			plan.add(toks[g.t0 + 1], 'goto_void')
			continue
		rv = cf.text(r.t0 + 1, r.t1 - 1)
		if g in assign_goto:
			a = assign_goto[g]
			blk = a.parent
			if blk.parent is not None and blk.parent.kind == 'if' and blk.parent.then is blk \
			   and blk.parent.els is None and len(blk.body) == 2 and not cf.has_comment(blk.t0, blk.t1):
				plan.add(toks[a.t0], 'agoto_blk')
			else:
				plan.add(toks[a.t0], 'agoto')
		else:
			plan.add(toks[g.t0 + 1], 'goto', rv)
	plan_handled.clear()
	for lab in dead_labels:
		ls = f.cfg.labels[lab].stmt
		plan.add(toks[ls.t0], 'label')
	for d in dead:
		if d.t1 > d.t0 + 1:
			plan.add(toks[d.t0 + 1], 'deadret')
	for tk, dstmt, init in unused_decls:
		plan.add(tk, 'decl_init' if init else 'decl')
	plan.funcs.add(f.name)


plan_handled = set()

# a goto rewritten to "return;": its label led to the end of a void function
VOID_RETURN = object()


def is_void(f):
	"""Does f return void?"""
	t = f.ret_type.split()
	return 'void' in t and '*' not in f.ret_type




def is_write(toks, k):
	nx = toks[k + 1]
	return nx.t == '=' and (k == 0 or toks[k - 1].t in (';', '{', '}', ')'))


def has_init(toks, dstmt, tk):
	k = tk.i + 1
	while k <= dstmt.t1 and toks[k].t not in ('=', ',', ';'):
		k += 1
	if toks[k].t != '=':
		return None
	j = k + 1
	d = 0
	while j <= dstmt.t1:
		if toks[j].t in ('(', '[', '{'):
			d += 1
		elif toks[j].t in (')', ']', '}'):
			d -= 1
		elif d == 0 and toks[j].t in (',', ';'):
			break
		j += 1
	return (k + 1, j - 1)


def fail_all(sites, plan, f, why):
	for st in sites:
		st.kind = 'skip'
		st.reason = why
	return None


def emit_drop(cf, f, plan, d, rewrite, assign_goto, dropped):
	"""Delete unlock d; when that leaves its if-block with one statement,
	drop the braces too."""
	toks = cf.toks
	blk = d.parent
	ifs = blk.parent if blk is not None else None
	if blk is not None and blk.kind == 'block' and ifs is not None and ifs.kind == 'if' \
	   and ifs.then is blk and ifs.els is None and not cf.has_comment(blk.t0, blk.t1) \
	   and d.idx == 0:
		rest = blk.body[1:]
		if len(rest) == 1 and rest[0].kind in ('return', 'goto', 'break', 'continue', 'expr'):
			nx = rest[0]
			if nx.kind == 'goto' and rewrite.get(nx) is VOID_RETURN:
				plan.add(toks[d.t0], 'ublk_goto_void')
				plan_handled.add(nx)
				return
			if nx.kind == 'goto' and nx in rewrite and nx not in assign_goto:
				plan.add(toks[d.t0], 'ublk_goto', cf.text(rewrite[nx].t0 + 1, rewrite[nx].t1 - 1))
				plan_handled.add(nx)
				return
			if nx.kind == 'goto' and nx in rewrite:
				return plan.add(toks[d.t0], 'drop')
			plan.add(toks[d.t0], 'ublk')
			return
		if len(rest) == 2 and rest[1].kind == 'goto' and rest[1] in assign_goto \
		   and assign_goto[rest[1]] is rest[0]:
			plan.add(toks[d.t0], 'uagoto_blk')
			plan_handled.add(rest[1])
			return
	plan.add(toks[d.t0], 'drop')
