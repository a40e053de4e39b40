# SPDX-License-Identifier: GPL-2.0
"""
safeplan.free - the allocation rule family: kmalloc() and friends owned by
a __free() variable, and a probe()'s private structure to devm_kzalloc().
"""

from .cfront import *  # noqa: F401,F403
from .plan import *  # noqa: F401,F403
from .locks import LockPlanner, call_stmt, collapse_ws, stmt_text  # noqa: F401

# --------------------------------------------------------------------------
# Allocations: __free()
# --------------------------------------------------------------------------

# allocator -> the free it pairs with
ALLOCS = {
	'kmalloc': 'kfree', 'kzalloc': 'kfree', 'kcalloc': 'kfree',
	'kmalloc_array': 'kfree', 'kmemdup': 'kfree', 'kstrdup': 'kfree',
	'kstrndup': 'kfree', 'kasprintf': 'kfree', 'kmalloc_node': 'kfree',
	'kzalloc_node': 'kfree', 'kcalloc_node': 'kfree',
	'kvmalloc': 'kvfree', 'kvzalloc': 'kvfree', 'kvcalloc': 'kvfree',
	'kvmalloc_array': 'kvfree', 'kvmalloc_node': 'kvfree', 'kvzalloc_node': 'kvfree',
}
FREES = set(['kfree', 'kvfree', 'kfree_sensitive'])

OWNED, NULLP, FREED, GONE = 'owned', 'null', 'freed', 'gone'


class FreeSite(object):
	kind = 'free'

	def __init__(self, f, stmt, var, afn, decl, dtok):
		self.f = f
		self.stmt = stmt	# the allocation statement
		self.var = var
		self.afn = afn
		self.decl = decl	# the variable's declaration statement
		self.dtok = dtok	# its declarator token
		self.drops = []
		self.rets = []		# "return p;" -> return_ptr(p)
		self.stores = []	# "x = p;" -> x = no_free_ptr(p)
		self.cls = None
		self.decl_text = None
		self.reason = ''
		self.keep_vars = (var,)
		self.end = None

	@property
	def line(self):
		return self.f.toks[self.stmt.t0].line

	def region(self):
		B = self.stmt.parent
		return B, self.stmt.idx + 1, len(B.body) - 1

	def dropped(self):
		return list(self.drops)

	def removed_tokens(self, cf):
		return set()

	def fallback(self, prof):
		return False

	def emit(self, cf, plan):
		toks = cf.toks
		plan.sites.append((self.f.name, self.afn, ('free', self.var), 'free', len(self.drops)))
		if self.stmt is self.decl:
			plan.add(self.dtok, 'fdecli', self.decl_text)
		else:
			plan.add(toks[self.stmt.t0], 'fdecl', self.decl_text)
			init = has_init(toks, self.decl, self.dtok)
			plan.add(self.dtok, 'decl_init' if init else 'decl')
		for r in self.rets:
			plan.add(toks[r.t0 + 1], 'retptr')
		for st, k in self.stores:
			plan.add(toks[k], 'noptr')


def pointer_decl_text(cf, decl, tok, cls):
	"""'struct foo *p __free(kfree)' for declarator tok of decl, or None."""
	toks = cf.toks
	k = decl.t0
	spec = []
	while k < tok.i and toks[k].t != '*' and toks[k + 1].t not in (',', '=', ';', '['):
		spec.append(toks[k].t)
		k += 1
	if not spec or any(x in ('__user', '__iomem', '__percpu', 'static', 'register', 'extern', '(', ')')
			   for x in spec):
		return None
	stars = 0
	j = tok.i - 1
	while toks[j].t == '*':
		stars += 1
		j -= 1
	if stars == 0 or (j != k - 1 and toks[j].t != ','):
		return None
	if toks[tok.i + 1].t not in ('=', ';', ','):
		return None
	return '%s %s%s __free(%s)' % (' '.join(spec), '*' * stars, tok.t, cls)


class FreePlanner(LockPlanner):

	def alloc_of(self, s):
		"""(var, allocator, declarator token or None) for 'p = alloc(...);'
		or 'T *p = alloc(...);'."""
		toks = self.toks
		if s.kind == 'expr' and toks[s.t0].k == 'id' and toks[s.t0 + 1].t == '=' and \
		   toks[s.t0 + 2].t in ALLOCS and toks[s.t0 + 3].t == '(':
			try:
				c = match_close(toks, s.t0 + 3, s.t1)
			except ParseError:
				return None
			if c == s.t1 - 1:
				return toks[s.t0].t, toks[s.t0 + 2].t, None
		if s.kind == 'decl':
			names = decl_names(toks, s)
			if len(names) == 1:
				nm, tk = names[0]
				if toks[tk.i + 1].t == '=' and toks[tk.i + 2].t in ALLOCS and toks[tk.i + 3].t == '(':
					try:
						c = match_close(toks, tk.i + 3, s.t1)
					except ParseError:
						return None
					if c == s.t1 - 1:
						return nm, toks[tk.i + 2].t, tk
		return None

	def sites(self):
		out = []
		for s in self.f.body.walk():
			a = self.alloc_of(s)
			if a is None:
				continue
			var, afn, dtok = a
			if var not in self.f.locals:
				continue
			decl = s if dtok is not None else self.f.locals[var]
			if dtok is None:
				for nm, tk in decl_names(self.toks, decl):
					if nm == var:
						dtok = tk
			if dtok is None:
				continue
			out.append(FreeSite(self.f, s, var, afn, decl, dtok))
		return out

	def uses(self, s, var):
		return [k for k in range(s.t0, s.t1 + 1) if self.toks[k].k == 'id' and self.toks[k].t == var
			and self.toks[k - 1].t not in ('.', '->')]

	def null_test(self, st, var):
		"""'if (!p)': 1; 'if (p)': 0; else None."""
		c = [x.t for x in self.toks[st.cond[0] + 1:st.cond[1]]]
		if c in (['!', var], [var, '==', 'NULL'], ['unlikely', '(', '!', var, ')'], ['NULL', '==', var]):
			return 1
		if c in ([var], [var, '!=', 'NULL'], ['likely', '(', var, ')']):
			return 0
		return None

	def check_free(self, site):
		toks = self.toks
		f = self.f
		s = site.stmt
		var = site.var
		B = s.parent
		if B is None or B.kind != 'block':
			return False, 'the allocation is not a statement of a block'
		if B.parent is not None and B.parent.kind == 'switch':
			return False, 'a __free() declaration in a switch body would be jumped over by its case labels'
		if site.decl is not s:
			if site.decl.parent is None:
				return False, 'no declaration'
			# the declaration goes: every use must be after the allocation, in its block
			for k in range(f.b0, f.b1):
				x = toks[k]
				if x.k == 'id' and x.t == var and toks[k - 1].t not in ('.', '->'):
					if site.decl.t0 <= k <= site.decl.t1:
						continue
					if s.t0 <= k <= s.t1:
						continue
					own = self.stmt_of_token(k)
					if own is None or not self.in_region(own, B, s.idx + 1, len(B.body) - 1):
						return False, '%s is used outside the block it is allocated in' % var
			init = has_init(toks, site.decl, site.dtok)
			if init and not (init[0] == init[1] and toks[init[0]].t in ('NULL', '0')):
				return False, '%s has an initializer' % var
		free_fns = set()
		for k in range(f.b0, f.b1):
			x = toks[k]
			if x.t == '&' and toks[k + 1].t == var:
				return False, 'the address of %s is taken' % var
		seen = set()
		start = s.nodes[0]
		work = [(n, OWNED, start) for n in start.succ]
		drops = set()
		rets = set()
		stores = {}
		while work:
			nd, state, src = work.pop()
			if (nd.id, state) in seen:
				continue
			seen.add((nd.id, state))
			if not self.node_in(nd, B, s.idx + 1, len(B.body) - 1):
				if state == OWNED:
					return False, 'a path leaves with %s neither freed nor handed on (line %d)' % (
						var, toks[src.stmt.t0].line if src.stmt is not None else 0)
				continue
			st = nd.stmt
			if nd.kind == 'cond':
				if st.kind == 'block':
					for x in nd.succ:
						work.append((x, state, nd))
					continue
				us = self.uses_in_cond(st, var)
				if us and state in (FREED, GONE):
					return False, '%s is used after it is freed or handed on (line %d)' % (var, toks[st.t0].line)
				if st.kind == 'if' and state == OWNED:
					t = self.null_test(st, var)
					if t is not None:
						work.append((nd.succ[0], NULLP if t == 1 else OWNED, nd))
						work.append((nd.succ[1], OWNED if t == 1 else NULLP, nd))
						continue
				for x in nd.succ:
					work.append((x, state, nd))
				continue
			us = self.uses(st, var)
			c = call_stmt(self.cf, st, FREES)
			if c is not None and len(c[1]) == 1 and self.cf.tokstr(*c[1][0]) == var:
				if state in (FREED, GONE):
					return False, '%s is freed twice on a path (line %d)' % (var, toks[st.t0].line)
				free_fns.add(c[0])
				drops.add(st)
				for x in nd.succ:
					work.append((x, FREED, nd))
				continue
			if st.kind == 'return' and st.t1 == st.t0 + 2 and toks[st.t0 + 1].t == var:
				if state in (FREED, GONE):
					return False, '%s is returned after it is freed' % var
				rets.add(st)
				for x in nd.succ:
					work.append((x, GONE, nd))
				continue
			if us:
				if state in (FREED, GONE):
					return False, '%s is used after it is freed or handed on (line %d)' % (var, toks[st.t0].line)
				k = self.store_of(st, var)
				if k is not None:
					stores[st] = k
					for x in nd.succ:
						work.append((x, GONE, nd))
					continue
				if st.kind == 'expr' and toks[st.t0].t == var and toks[st.t0 + 1].t in ('=', '+=', '-='):
					return False, '%s is assigned again (line %d)' % (var, toks[st.t0].line)
				if st.kind == 'decl':
					return False, '%s is copied into another variable (line %d)' % (var, toks[st.t0].line)
			for x in nd.succ:
				work.append((x, state, nd))
		if not drops:
			return False, 'never freed here (ownership always handed on)'
		if len(free_fns) != 1:
			return False, 'freed with different functions'
		ff = free_fns.pop()
		if ff != 'kfree_sensitive' and ff != ALLOCS[site.afn] and not (ff == 'kvfree' and ALLOCS[site.afn] == 'kfree'):
			return False, '%s() memory freed with %s()' % (site.afn, ff)
		# nothing enters the scope but through the allocation
		for nd in f.cfg.nodes:
			if not self.node_in(nd, B, s.idx + 1, len(B.body) - 1):
				continue
			for p in nd.pred:
				if p is start or self.node_in(p, B, s.idx + 1, len(B.body) - 1):
					continue
				if p.stmt is not None and p.stmt.kind == 'goto':
					continue
				if nd.stmt is not None and nd.stmt.kind == 'case':
					return False, 'a case label is inside the scope'
				return False, 'control enters the scope without the allocation (line %d)' % toks[nd.stmt.t0].line
		site.cls = ff
		site.drops = sorted(drops, key=lambda x: x.t0)
		site.rets = sorted(rets, key=lambda x: x.t0)
		site.stores = sorted(stores.items(), key=lambda x: x[0].t0)
		site.decl_text = pointer_decl_text(self.cf, site.decl, site.dtok, ff)
		if site.decl_text is None:
			return False, 'the declaration of %s is not a plain pointer' % var
		return True, ''

	def uses_in_cond(self, st, var):
		if st.cond is None:
			return []
		return [k for k in range(st.cond[0], st.cond[1] + 1) if self.toks[k].t == var and self.toks[k].k == 'id'
			and self.toks[k - 1].t not in ('.', '->')]

	def store_of(self, st, var):
		"""'x->y = p;' or '*out = p;': the token index of p, else None."""
		toks = self.toks
		if st.kind != 'expr' or toks[st.t1 - 1].t != var or toks[st.t1 - 2].t != '=':
			return None
		lhs = toks[st.t0:st.t1 - 2]
		if len(lhs) == 1 and lhs[0].k == 'id' and (lhs[0].t in self.f.locals):
			return None
		if not any(x.t in ('->', '.', '[', '*') for x in lhs) and not (len(lhs) == 1 and lhs[0].t not in self.f.locals and lhs[0].t not in self.f.params):
			return None
		return st.t1 - 1

	def stmt_of_token(self, k):
		best = None
		for s in self.f.body.walk():
			if s.kind in ('block',):
				continue
			if s.t0 <= k <= s.t1:
				if best is None or (s.t1 - s.t0) < (best.t1 - best.t0):
					best = s
		return best


# kmalloc family -> its devres form (same arguments after the device)
DEVM_ALLOCS = {
	'kmalloc': 'devm_kmalloc', 'kzalloc': 'devm_kzalloc',
	'kcalloc': 'devm_kcalloc', 'kmalloc_array': 'devm_kmalloc_array',
}
# bus -> (device struct, drvdata getter, setter)
DEVM_BUSES = {
	'pci_dev': ('pci_get_drvdata', 'pci_set_drvdata'),
	'platform_device': ('platform_get_drvdata', 'platform_set_drvdata'),
}


class DevmSite(FreeSite):
	"""A driver's private structure allocated in probe(), freed by hand on
	probe's error paths and at the end of remove(): devm_kzalloc() and
	friends free it when the device is unbound (or probe fails), so every
	kfree() of it goes."""
	kind = 'devm'

	def __init__(self, f, stmt, var, afn, dev, remove_free):
		FreeSite.__init__(self, f, stmt, var, afn, None, None)
		self.dev = dev			# "pdev": the device is &pdev->dev
		self.remove_free = remove_free	# the kfree() ending remove()
		self.remove_decl = None		# its variable's declarator, if
						# the kfree() was its only use

	def emit(self, cf, plan):
		toks = cf.toks
		plan.sites.append((self.f.name, self.afn, ('devm', self.var), 'devm', len(self.drops) + 1))
		plan.add(toks[self.stmt.t0], 'devm', (DEVM_ALLOCS[self.afn], self.dev))
		plan.add(toks[self.remove_free.t0], 'drop')
		if self.remove_decl is not None:
			plan.add(self.remove_decl, 'decl_init')


def driver_ops(cf):
	"""[(probe name, remove name)] from ".probe = f, ... .remove = g" in one
	initializer."""
	toks = cf.toks
	out = []
	for k in range(len(toks) - 3):
		if toks[k].t == '.' and toks[k + 1].t == 'probe' and toks[k + 2].t == '=' and toks[k + 3].k == 'id':
			# the enclosing braces
			d = 0
			a = k
			while a > 0:
				a -= 1
				if toks[a].t == '}':
					d += 1
				elif toks[a].t == '{':
					if d == 0:
						break
					d -= 1
			b = k
			d = 0
			while b < len(toks) - 1:
				b += 1
				if toks[b].t == '{':
					d += 1
				elif toks[b].t == '}':
					if d == 0:
						break
					d -= 1
			rem = None
			for j in range(a, b - 3):
				if toks[j].t == '.' and toks[j + 1].t == 'remove' and toks[j + 2].t == '=' and toks[j + 3].k == 'id':
					rem = toks[j + 3].t
			if rem:
				out.append((toks[k + 3].t, rem))
	return out


def first_param(cf, f):
	"""(struct name, parameter name) of f's first parameter
	"struct S *name", or None."""
	toks = cf.toks
	k = f.h0
	while k < f.b0 and toks[k].t != '(':
		k += 1
	if toks[k + 1].t == 'struct' and toks[k + 3].t == '*' and toks[k + 4].k == 'id':
		return toks[k + 2].t, toks[k + 4].t
	return None


def call_args(cf, s, fn):
	"""Statement s is "fn(args);": the argument texts, or None."""
	c = call_stmt(cf, s, set([fn]))
	if c is None:
		return None
	return [cf.tokstr(a, b) for a, b in c[1]]


def plan_devm(cf, prof, plan):
	"""Probe allocations that become devm_*(): see DevmSite.  Returns the
	allocation statements planned, for the __free() planner to leave."""
	done = set()
	funcs = dict((f.name, f) for f in cf.funcs)
	for probe, remove in driver_ops(cf):
		P, R = funcs.get(probe), funcs.get(remove)
		if P is None or R is None or not cf.parse(P) or not cf.parse(R):
			continue
		bus = first_param(cf, P)
		rbus = first_param(cf, R)
		if bus is None or rbus is None or bus[0] not in DEVM_BUSES or rbus[0] != bus[0]:
			continue
		get, set_ = DEVM_BUSES[bus[0]]
		dev = bus[1]
		toks = cf.toks
		fp = FreePlanner(cf, P, prof)
		for st in fp.sites():
			if st.afn not in DEVM_ALLOCS or st.stmt is st.decl or st.stmt.parent is not P.body:
				continue
			var = st.var
			why = None
			frees = [x for x in P.body.walk() if call_args(cf, x, 'kfree') == [var]]
			stored = [x for x in P.body.walk() if call_args(cf, x, set_) == [bus[1], var]]
			# remove(): "v = get(pdev);" ... "kfree(v);" last
			rv = None
			for x in R.body.body:
				if x.kind == 'decl' or x.kind == 'expr':
					t = [y.t for y in toks[x.t0:x.t1 + 1]]
					if get in t and t[-5:] == [get, '(', rbus[1], ')', ';']:
						i = t.index(get)
						if i >= 2 and t[i - 1] == '=':
							rv = t[i - 2]
			last = R.body.body[-1] if R.body.body else None
			if not stored:
				why = '%s is not stored with %s()' % (var, set_)
			elif rv is None or last is None or call_args(cf, last, 'kfree') != [rv]:
				why = '%s() does not end by freeing its drvdata' % remove
			elif not frees:
				why = 'probe never frees %s' % var
			if why is None:
				# every probe free sits on the error unwinding, after the
				# last "return 0;", and nothing else frees or puts it
				rets = [x for x in P.body.body if x.kind == 'return' and
					[y.t for y in toks[x.t0:x.t1 + 1]] == ['return', '0', ';']]
				if not rets:
					why = 'no "return 0;" in %s()' % probe
				else:
					for x in frees:
						if x.parent is not P.body or x.idx < rets[-1].idx:
							why = 'kfree(%s) outside the error unwinding of %s()' % (var, probe)
				for k in range(0, len(toks)):
					if why:
						break
					if toks[k].t == 'kfree' and k + 2 < len(toks) and toks[k + 2].t in (var, rv) and \
					   not any(x.t0 == k for x in frees) and k != last.t0 and \
					   (P.b0 < k < P.b1 or R.b0 < k < R.b1):
						why = 'another kfree() of %s' % var
			if why:
				plan.report.append((st.line, P.name, collapse_ws(cf.text(st.stmt.t0, st.stmt.t1 - 1))[:70],
						    'skip', 'devm: ' + why))
				continue
			d = DevmSite(P, st.stmt, var, st.afn, dev, last)
			d.drops = sorted(frees, key=lambda x: x.t0)
			# remove()'s "T *v = get(pdev);" goes when kfree(v) was
			# its only use
			uses = [k for k in range(R.b0, R.b1) if toks[k].t == rv and toks[k].k == 'id' and
				toks[k - 1].t not in ('.', '->')]
			rdecl = R.locals.get(rv)
			if rdecl is not None and len(uses) == 2 and rdecl.parent is R.body:
				names = decl_names(toks, rdecl)
				if len(names) == 1 and names[0][0] == rv and rdecl.t0 <= uses[0] <= rdecl.t1:
					d.remove_decl = names[0][1]
			apply_sites(cf, P, fp, [d], prof, plan)
			if d.kind == 'devm':
				done.add(st.stmt.t0)
				plan.funcs.add(R.name)
				plan.report.append((st.line, P.name, collapse_ws(cf.text(st.stmt.t0, st.stmt.t1 - 1))[:70],
						    'devm', 'freed by hand on probe errors and at the end of %s()' % remove))
			else:
				plan.report.append((st.line, P.name, collapse_ws(cf.text(st.stmt.t0, st.stmt.t1 - 1))[:70],
						    'skip', 'devm: ' + d.reason))
	return done


def plan_free(cf, prof, plan):
	missing = set(x for x in prof['missing_classes'].split(',') if x)
	excl = excluded_functions(cf.path)
	if prof['free'] == 'no':
		return
	devm = plan_devm(cf, prof, plan)
	for f in cf.funcs:
		if not any(cf.toks[k].t in ALLOCS for k in range(f.b0, f.b1)):
			continue
		if not cf.parse(f):
			continue
		fp = FreePlanner(cf, f, prof)
		sites = [st for st in fp.sites() if st.stmt.t0 not in devm]
		ok_sites = []
		for st in sites:
			if f.name in excl:
				st.kind = 'skip'
				st.reason = excl[f.name]
			else:
				ok, why = fp.check_free(st)
				if ok and st.cls in missing:
					ok, why = False, 'the target kernel has no __free(%s) class' % st.cls
				if not ok:
					st.kind = 'skip'
					st.reason = why
				else:
					st.kind = 'free'
					st.reason = 'freed on every path'
					ok_sites.append(st)
		# two allocations of one variable: leave both
		names = {}
		for st in ok_sites:
			names.setdefault(st.var, []).append(st)
		for nm, lst in names.items():
			if len(lst) > 1 or len([x for x in sites if x.var == nm]) > 1:
				for st in lst:
					st.kind = 'skip'
					st.reason = '%s is allocated more than once' % nm
		ok_sites = [st for st in ok_sites if st.kind == 'free']
		if ok_sites:
			apply_sites(cf, f, fp, ok_sites, prof, plan)
		for st in sites:
			plan.report.append((st.line, f.name, collapse_ws(cf.text(st.stmt.t0, st.stmt.t1 - 1))[:70],
					    st.kind if st.kind == 'free' else 'skip', st.reason))
