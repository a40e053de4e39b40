# SPDX-License-Identifier: GPL-2.0
"""
safeplan.dma - the DMA rule family: dma_alloc_coherent() users to an owned
struct safe_dma_buf.
"""

import re

from .cfront import *  # noqa: F401,F403
from .plan import *  # noqa: F401,F403
from .locks import call_stmt, collapse_ws, stmt_text  # noqa: F401
from .free import *  # noqa: F401,F403

# --------------------------------------------------------------------------
# DMA-coherent buffers: struct safe_dma_buf
# --------------------------------------------------------------------------

DMA_ALLOCS = {'dma_alloc_coherent': 'dma_free_coherent', 'dmam_alloc_coherent': 'dmam_free_coherent'}
DMA_FREES = set(DMA_ALLOCS.values())


class DmaSite(FreeSite):
	"""A function-local buffer freed on every path: the owned buffer is
	declared __free(safe_dma) where it is allocated, and the CPU pointer
	and DMA handle variables are set from it, so the code using them does
	not change."""

	def __init__(self, f, stmt, var, afn, decl, dtok, hvar, check):
		FreeSite.__init__(self, f, stmt, var, afn, decl, dtok)
		self.hvar = hvar
		self.check = check	# the "if (!cpu)" statement
		self.keep_vars = (var, hvar)
		self.bufname = var + '_buf'

	def emit(self, cf, plan):
		toks = cf.toks
		plan.sites.append((self.f.name, self.afn, ('dma', self.var), 'dma', len(self.drops)))
		plan.add(toks[self.stmt.t0], 'dalloc',
			 (self.bufname, 'struct safe_dma_buf *%s __free(safe_dma)' % self.bufname, self.hvar))
		plan.headers.add('dma')


class DmaPlanner(FreePlanner):

	def dma_alloc_of(self, s):
		"""'cpu = dma_alloc_coherent(D, S, &h, G);': (cpu, fn, h)."""
		toks = self.toks
		if s.kind != 'expr' or toks[s.t0].k != 'id' or toks[s.t0 + 1].t != '=':
			return None
		c = call_stmt(self.cf, Stmt('expr', s.t0 + 2, s.t1), DMA_ALLOCS)
		if c is None or len(c[1]) != 4:
			return None
		h0, h1 = c[1][2]
		if h1 != h0 + 1 or toks[h0].t != '&' or toks[h1].k != 'id':
			return None
		return toks[s.t0].t, c[0], toks[h1].t

	def sites(self):
		out = []
		for s in self.f.body.walk():
			a = self.dma_alloc_of(s)
			if a is None:
				continue
			var, afn, hvar = a
			if var not in self.f.locals or hvar not in self.f.locals:
				continue
			decl = self.f.locals[var]
			dtok = None
			for nm, tk in decl_names(self.toks, decl):
				if nm == var:
					dtok = tk
			B = s.parent
			check = None
			if B is not None and B.kind == 'block' and s.idx + 1 < len(B.body):
				nx = B.body[s.idx + 1]
				if nx.kind == 'if' and nx.els is None and self.null_test(nx, var) == 1:
					check = nx
			out.append(DmaSite(self.f, s, var, afn, decl, dtok, hvar, check))
		return out

	def check_dma(self, site):
		toks = self.toks
		f = self.f
		s = site.stmt
		var, hvar = site.var, site.hvar
		B = s.parent
		if site.afn != 'dma_alloc_coherent':
			return False, 'a device-managed buffer in a local variable'
		if B is None or B.kind != 'block':
			return False, 'the allocation is not a statement of a block'
		if B.parent is not None and B.parent.kind == 'switch':
			return False, 'a declaration in a switch body would be jumped over by its case labels'
		if site.check is None:
			return False, 'no "if (!%s)" right after the allocation' % var
		if site.bufname in f.locals or site.bufname in f.params:
			return False, '%s is taken' % site.bufname
		for k in range(f.b0, f.b1):
			x = toks[k]
			if x.t == '&' and toks[k + 1].t in (var, hvar) and not (s.t0 <= k <= s.t1):
				return False, 'the address of %s is taken' % toks[k + 1].t
		lo = s.idx + 1
		# every use after the allocation's block would outlive the buffer
		for k in range(f.b0, f.b1):
			x = toks[k]
			if x.k == 'id' and x.t in (var, hvar) and toks[k - 1].t not in ('.', '->'):
				if site.decl.t0 <= k <= site.decl.t1 or s.t0 <= k <= s.t1:
					continue
				hd = f.locals.get(hvar)
				if hd is not None and hd.t0 <= k <= hd.t1:
					continue
				own = self.stmt_of_token(k)
				if own is None or not self.in_region(own, B, lo, len(B.body) - 1):
					return False, '%s is used outside the block it is allocated in' % x.t
		start = site.check.nodes[0]
		seen = set()
		work = [(start.succ[0], NULLP, start), (start.succ[1], OWNED, start)]
		drops = set()
		while work:
			nd, state, src = work.pop()
			if (nd.id, state) in seen:
				continue
			seen.add((nd.id, state))
			if not self.node_in(nd, B, lo, len(B.body) - 1):
				if state == OWNED:
					return False, 'a path leaves with the buffer neither freed nor handed on (line %d)' % (
						toks[src.stmt.t0].line if src.stmt is not None else 0)
				continue
			st = nd.stmt
			if nd.kind == 'cond':
				if st.kind != 'block' and st.cond is not None:
					us = [k for k in range(st.cond[0], st.cond[1]) if toks[k].t in (var, hvar)]
					if us and state != OWNED:
						return False, '%s is read where the buffer is not allocated (line %d)' % (var, toks[st.t0].line)
				for x in nd.succ:
					work.append((x, state, nd))
				continue
			c = call_stmt(self.cf, st, DMA_FREES)
			if c is not None and len(c[1]) == 4 and self.cf.tokstr(*c[1][2]) == var and \
			   self.cf.tokstr(*c[1][3]) == hvar and c[0] == 'dma_free_coherent':
				if state != OWNED:
					return False, 'the buffer is freed twice or while not allocated (line %d)' % toks[st.t0].line
				drops.add(st)
				for x in nd.succ:
					work.append((x, FREED, nd))
				continue
			us = [k for k in range(st.t0, st.t1 + 1) if toks[k].k == 'id' and toks[k].t in (var, hvar)
			      and toks[k - 1].t not in ('.', '->')]
			if us:
				if state != OWNED:
					return False, '%s is used where the buffer is not allocated (line %d)' % (var, toks[st.t0].line)
				if st.kind == 'return' or (st.kind == 'expr' and toks[st.t0].t in (var, hvar) and
							    toks[st.t0 + 1].t in ('=', '+=', '-=')):
					return False, 'the buffer is handed on or reassigned (line %d)' % toks[st.t0].line
				if st.kind == 'expr' and toks[st.t1 - 1].t == var and toks[st.t1 - 2].t == '=':
					return False, 'the CPU pointer is stored (line %d): keep the buffer in the structure' % toks[st.t0].line
				if st.kind == 'decl':
					return False, '%s is copied into another variable (line %d)' % (var, toks[st.t0].line)
			for x in nd.succ:
				work.append((x, state, nd))
		if not drops:
			return False, 'never freed here'
		for nd in f.cfg.nodes:
			if not self.node_in(nd, B, lo, len(B.body) - 1):
				continue
			for p in nd.pred:
				if p is s.nodes[0] or self.node_in(p, B, lo, len(B.body) - 1):
					continue
				if p.stmt is not None and p.stmt.kind == 'goto':
					continue
				return False, 'control enters the scope without the allocation'
		site.cls = 'safe_dma'
		site.drops = sorted(drops, key=lambda x: x.t0)
		return True, ''


def find_structs(cf):
	"""struct name -> (first token of the body, last token)."""
	toks = cf.toks
	out = {}
	for i in range(len(toks) - 2):
		if toks[i].t == 'struct' and toks[i + 1].k == 'id' and toks[i + 2].t == '{':
			j = close_or_none(toks, i + 2)
			if j is not None and j + 1 < len(toks) and toks[j + 1].t == ';' and \
			   not cf.func_at(i):
				out[toks[i + 1].t] = (i + 3, j - 1)
	return out


def struct_fields(cf, lo, hi):
	"""field name -> (declaration tokens lo..hi, name token) for
	single-declarator fields at the top level of a struct body."""
	toks = cf.toks
	out = {}
	k = lo
	st = lo
	d = 0
	while k <= hi:
		t = toks[k].t
		if t in ('(', '[', '{'):
			d += 1
		elif t in (')', ']', '}'):
			d -= 1
		elif t == ';' and d == 0:
			seg = toks[st:k]
			if seg and seg[-1].k == 'id' and not any(x.t in (',', '(', '[', ':') for x in seg):
				out[seg[-1].t] = (st, k, seg[-1])
			st = k + 1
		k += 1
	return out


class FieldPair(object):
	def __init__(self, sname, cpu, hnd, ctype):
		self.sname = sname
		self.cpu = cpu		# (lo, hi, tok)
		self.hnd = hnd
		self.ctype = ctype	# the CPU pointer's type, for casts
		self.edits = []
		self.reason = ''
		self.allocs = []	# (line, func, text)


def plan_dma_fields(cf, prof, plan):
	"""Buffers kept in a private structure of this file: the CPU pointer
	and handle fields become one struct safe_dma_buf *.  Only when the CPU
	touches the buffer at most right after allocating it: once the
	device has the address, safe_dma_cpu_ptr() returns NULL."""
	toks = cf.toks
	structs = find_structs(cf)
	# candidate pairs from the allocations
	pairs = {}
	for f in cf.funcs:
		for k in range(f.b0, f.b1):
			if toks[k].t in DMA_ALLOCS and toks[k + 1].t == '(' and toks[k - 1].t == '=':
				# E->cpu = dma_alloc_coherent(D, S, &E->h, G)
				if toks[k - 2].k == 'id' and toks[k - 3].t == '->':
					cpu = toks[k - 2].t
					try:
						c = match_close(toks, k + 1, f.b1)
					except ParseError:
						continue
					args = split_args(toks, k + 2, c - 1)
					if len(args) != 4:
						continue
					a0, a1 = args[2]
					if toks[a0].t == '&' and toks[a1].k == 'id' and toks[a1 - 1].t == '->':
						pairs.setdefault((cpu, toks[a1].t), []).append((f, k))
	for (cpu, hnd), allocs in sorted(pairs.items()):
		owner = None
		for sn, (lo, hi) in structs.items():
			flds = struct_fields(cf, lo, hi)
			if cpu in flds and hnd in flds:
				owner = (sn, flds)
		report_line = lambda f, k: (toks[k].line, f.name, collapse_ws(cf.text(k - 4 if k >= 4 else k, k)) + '(...)')
		if owner is None:
			for f, k in allocs:
				plan.report.append(report_line(f, k) + ('skip', 'the structure with %s and %s is defined in another file' % (cpu, hnd)))
			continue
		sn, flds = owner
		cpu_f, h_f = flds[cpu], flds[hnd]
		ok, why, edits = dma_field_edits(cf, sn, cpu, hnd, cpu_f, h_f, allocs)
		for f, k in allocs:
			plan.report.append(report_line(f, k) + (('dma', 'the buffer in struct %s' % sn) if ok else ('skip', why)))
		if ok:
			for tok, kind, data in edits:
				plan.add(tok, kind, data)
			plan.headers.add('dma')
			for f, k in allocs:
				plan.sites.append((f.name, toks[k].t, ('dmaf', cpu), 'dma', 0))


def split_args(toks, a, b):
	args = []
	d = 0
	st = a
	for j in range(a, b + 1):
		if toks[j].t in ('(', '[', '{'):
			d += 1
		elif toks[j].t in (')', ']', '}'):
			d -= 1
		elif toks[j].t == ',' and d == 0:
			args.append((st, j - 1))
			st = j + 1
	if b >= a:
		args.append((st, b))
	return args


def dma_field_edits(cf, sn, cpu, hnd, cpu_f, h_f, allocs):
	toks = cf.toks
	edits = []
	lo, hi, ctok = cpu_f
	spec = [x.t for x in toks[lo:hi]]
	if '*' not in spec or spec.count('*') != 1 or spec[-1] != cpu or spec[-2] != '*':
		return False, 'the CPU pointer field is not a plain pointer', []
	if [x.t for x in toks[h_f[0]:h_f[1]]] != ['dma_addr_t', hnd]:
		return False, 'the handle field is not a plain dma_addr_t', []
	if h_f[0] < lo:
		return False, 'the handle field comes before the CPU pointer field', []
	fams = set(toks[k].t for f, k in allocs)
	if len(fams) != 1:
		return False, 'allocated both with and without devres', []
	alloc_fns = set(f.name for f, k in allocs)
	for f in cf.funcs:
		if not any(toks[k].t in (cpu, hnd) for k in range(f.b0, f.b1)):
			continue
		if not cf.parse(f):
			return False, 'cannot parse %s(): %s' % (f.name, f.error), []
		typed = set()
		other = set()	# of another structure type: their fields are others'
		for nm, dstmt in list(f.locals.items()):
			txt = [x.t for x in toks[dstmt.t0:dstmt.t1]]
			if txt[:2] == ['struct', sn]:
				typed.add(nm)
			elif txt[:1] == ['struct'] and len(txt) > 1:
				other.add(nm)
		hdr = [x.t for x in toks[f.h0:f.b0]]
		for i in range(len(hdr) - 3):
			if hdr[i] == 'struct' and hdr[i + 2] == '*' and hdr[i + 3] not in ('*', 'const'):
				(typed if hdr[i + 1] == sn else other).add(hdr[i + 3])
		other -= typed
		window = dma_window(cf, f, cpu, hnd, allocs)
		for k in range(f.b0, f.b1):
			x = toks[k]
			if x.k != 'id' or x.t not in (cpu, hnd) or toks[k - 1].t not in ('->', '.'):
				continue
			if toks[k - 2].k == 'id' and toks[k - 2].t in other and toks[k - 3].t not in ('->', '.'):
				continue
			if toks[k - 1].t == '.' or toks[k - 2].k != 'id' or toks[k - 2].t not in typed or toks[k - 3].t in ('->', '.'):
				return False, 'a use of ->%s in %s() not through a struct %s pointer' % (x.t, f.name, sn), []
			e = toks[k - 2]
			if x.t == hnd:
				# in the allocation or the free: goes with them
				if toks[k - 3].t == '&' and in_call(cf, k, DMA_ALLOCS):
					continue
				if in_call(cf, k, DMA_FREES, arg=3):
					continue
				if toks[k + 1].t in ('=', '+=', '-=', '++', '--') or toks[k - 3].t in ('&', '++', '--'):
					return False, 'the handle is written or its address taken in %s()' % f.name, []
				edits.append((x, 'dh', cpu))
				continue
			# the CPU pointer
			nx = toks[k + 1].t
			if nx == '=' and toks[k + 2].t in DMA_ALLOCS:
				an = toks[k + 2]
				edits.append((an, 'dfalloc' if an.t == 'dma_alloc_coherent' else 'dfallocm', None))
				continue
			if in_call(cf, k, DMA_FREES, arg=2):
				c = enclosing_call(cf, k)
				if c is None or toks[c + 1].t != '(':
					return False, 'unexpected free', []
				# the free must be a statement of its own
				edits.append((toks[c], 'dfree', None))
				continue
			if nx == '=' and toks[k + 2].t == 'NULL' and toks[k + 3].t == ';':
				continue
			if nx == '=':
				return False, 'the CPU pointer field is assigned in %s()' % f.name, []
			if toks[k - 3].t == '!' and toks[k - 4].t == '(' and toks[k + 1].t == ')' and toks[k - 5].t in ('if', 'unlikely', 'WARN_ON'):
				# !E->cpu: NULL test
				kind = 'derr' if is_alloc_check(cf, f, k, allocs) else 'dnotnull'
				edits.append((x, kind, None))
				continue
			if toks[k - 3].t == '(' and toks[k + 1].t == ')' and toks[k - 4].t in ('if', 'unlikely', 'likely'):
				edits.append((x, 'dnull', None))
				continue
			if in_sizeof(toks, k, f.b0):
				return False, 'sizeof(...->%s) in %s() would measure struct safe_dma_buf (line %d)' % (x.t, f.name, x.line), []
			if k in window:
				if toks[k - 3].t in ('(', ',') and toks[k + 1].t in (')', ','):
					edits.append((x, 'dcpu', None))
					continue
			ok, what = shared_use(cf, f, k, spec)
			if ok:
				edits.append(what)
				continue
			if what:
				return False, '%s in %s() (line %d)' % (what, f.name, x.line), []
			return False, 'the CPU uses the buffer in %s() where the device may already have its address (line %d): convert to the accessors by hand' % (f.name, x.line), []
	edits.append((ctok, 'dfield', None))
	edits.append((h_f[2], 'dhfield', None))
	# every allocation must have its error check
	for f, k in allocs:
		if not any(kind == 'derr' and f.b0 < t.i < f.b1 for t, kind, _ in edits):
			return False, 'no "if (!...)" check right after the allocation in %s()' % f.name, []
	return True, '', edits


# CPU uses of a buffer the device may hold, and their replacement in safe's
# API: the function, which of its arguments is the buffer, and the edit
# kind.  copy_{from,to}_user() return the bytes not copied;
# safe_dma_copy_{from,to}_user() return the bytes copied or an errno, so a
# test of the old result becomes a comparison with the length.
SHARED_CALLS = {
	'copy_from_user': (0, 'dcopy_from'),
	'copy_to_user': (1, 'dcopy_to'),
	'memset': (0, 'dmemset'),
}
BYTE_TYPES = (['void'], ['u8'], ['__u8'], ['uint8_t'], ['char'], ['unsigned', 'char'],
	      ['signed', 'char'])
SIGNED_WORDS = set(['int', 'long', 'short', 'ssize_t', 's8', 's16', 's32', 's64', '__s32',
		    '__s64', 'loff_t', 'off_t', 'char'])
UNSIGNED_WORDS = set(['unsigned', 'size_t', 'u8', 'u16', 'u32', 'u64', '__u8', '__u16',
		      '__u32', '__u64', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'dma_addr_t',
		      'resource_size_t'])
# the places where the value of an expression can only be a truth value,
# or is not combined with anything binding tighter than ==
LOW_BEFORE = ('||', '&&', '(', 'return', '=', ',', '?', ':')
LOW_AFTER = ('||', '&&', ')', ';', ',', '?', ':')


def pure_expr(cf, a, b):
	"""Can tokens a..b be evaluated twice with the same result and no
	side effect?  Names, constants, member accesses, arithmetic, sizeof
	and ARRAY_SIZE()."""
	toks = cf.toks
	if b < a:
		return False
	for j in range(a, b + 1):
		x = toks[j]
		if x.k in ('num', 'chr'):
			continue
		if x.k == 'id':
			if j + 1 <= b and toks[j + 1].t == '(' and x.t not in ('sizeof', 'ARRAY_SIZE'):
				return False
			continue
		if x.t in ('.', '->', '*', '+', '-', '/', '%', '<<', '>>', '&', '|', '(', ')', '[', ']'):
			continue
		return False
	return True


def one_term(cf, a, b):
	"""Is tokens a..b one operand of a binary "+": nothing outside
	brackets that binds as loosely as "+" or more?"""
	toks = cf.toks
	depth = 0
	for j in range(a, b + 1):
		t = toks[j].t
		if t in ('(', '['):
			depth += 1
		elif t in (')', ']'):
			depth -= 1
		elif depth == 0 and t in ('+', '-', '<<', '>>', '&', '|', '^'):
			return False
	return True


def signed_length(cf, f, a, b):
	"""Is the length tokens a..b one variable of a signed type?  A
	negative length converted to size_t is refused with -ERANGE, which a
	comparison with the length itself could then take for success."""
	toks = cf.toks
	if a != b or toks[a].k != 'id':
		return False
	name = toks[a].t
	words = None
	if name in f.locals:
		d = f.locals[name]
		words = [x.t for x in toks[d.t0:d.t1 + 1]]
	else:
		hdr = toks[f.h0:f.b0]
		for i, x in enumerate(hdr):
			if x.t == name and i + 1 < len(hdr) and hdr[i + 1].t in (',', ')'):
				j = i
				while j > 0 and hdr[j - 1].t not in (',', '('):
					j -= 1
				words = [y.t for y in hdr[j:i]]
	if words is None:
		return False
	if any(w in UNSIGNED_WORDS for w in words):
		return False
	return any(w in SIGNED_WORDS for w in words)


def shared_use(cf, f, k, spec):
	"""A use of the CPU pointer field (token k, in "E->fld") where the
	device may hold the buffer, that safe's API can take over:
	copy_from_user(E->fld, ...) and copy_to_user(..., E->fld, ...) whose
	result is only tested, memset(E->fld, ...) as a statement, each also
	at "E->fld + offset" for a byte pointer.  (True, edit) or (False,
	why not, or '' for a use of another kind)."""
	toks = cf.toks
	c = enclosing_call(cf, k)
	if c is None or toks[c].t not in SHARED_CALLS:
		return False, ''
	fn = toks[c].t
	barg, kind = SHARED_CALLS[fn]
	try:
		e = match_close(toks, c + 1)
	except ParseError:
		return False, ''
	args = split_args(toks, c + 2, e - 1)
	if len(args) != 3 or not args[barg][0] <= k <= args[barg][1]:
		return False, ''
	a0, a1 = args[barg]
	if a0 != k - 2:
		return False, ''
	if a1 != k:
		# E->fld + offset, bytes only
		if toks[k + 1].t != '+' or not pure_expr(cf, k + 2, a1):
			return False, ''
		if not one_term(cf, k + 2, a1):
			# "E->fld + a + b" is "(E->fld + a) + b"
			return False, 'an offset of more than one term into the buffer'
		if [w for w in spec[:-2] if w not in ('const', 'volatile')] not in BYTE_TYPES:
			return False, 'an offset into a buffer of %s' % ' '.join(spec[:-2])
		kind += '_off'
	if fn == 'memset':
		before = toks[c - 1].t
		if toks[e + 1].t != ';' or before not in (';', '{', '}', ':', 'else', ')'):
			return False, 'the value of memset() on the buffer is used'
		if before == ')':
			# the body of an if, while or for; not a cast
			d, o = 0, c - 1
			while o > f.b0:
				d += {')': 1, '(': -1}.get(toks[o].t, 0)
				if d == 0:
					break
				o -= 1
			if toks[o - 1].t not in ('if', 'while', 'for'):
				return False, 'memset() on the buffer after a cast'
		return True, (toks[c], kind, None)
	l0, l1 = args[2]
	if not pure_expr(cf, l0, l1):
		return False, 'the length of %s() is not a plain expression to compare the result with' % fn
	if signed_length(cf, f, l0, l1):
		return False, 'the length of %s() is a signed variable' % fn
	neg = toks[c - 1].t == '!'
	b = c - 1 if neg else c
	prev, nxt = toks[b - 1].t, toks[e + 1].t
	if prev not in LOW_BEFORE or nxt not in LOW_AFTER:
		return False, 'the result of %s() is used in an expression' % fn
	cond = prev == '(' and toks[b - 2].t in ('if', 'while', 'unlikely', 'likely') and nxt == ')'
	if prev == '(' and not cond and nxt not in ('||', '&&', '?'):
		return False, 'the result of %s() is passed on' % fn
	if not neg and not (cond or prev in ('||', '&&') or nxt in ('||', '&&', '?')):
		return False, 'the number of bytes %s() did not copy is used' % fn
	return True, (toks[c], kind + ('_not' if neg else ''), None)


def in_sizeof(toks, k, lo):
	"""Is token k inside a sizeof or typeof?"""
	depth = 0
	j = k - 1
	while j > lo:
		t = toks[j].t
		if t in (')', ']'):
			depth += 1
		elif t in ('(', '['):
			if depth == 0:
				if toks[j - 1].t in ('sizeof', 'typeof', '__typeof__', 'offsetof'):
					return True
			else:
				depth -= 1
		elif t in (';', '{', '}'):
			return False
		elif t == 'sizeof' and depth == 0:
			return True
		j -= 1
	return False


def in_call(cf, k, names, arg=None):
	c = enclosing_call(cf, k)
	if c is None or cf.toks[c].t not in names:
		return False
	if arg is None:
		return True
	end = match_close(cf.toks, c + 1)
	args = split_args(cf.toks, c + 2, end - 1)
	return len(args) > arg and args[arg][0] <= k <= args[arg][1] and args[arg][1] - args[arg][0] == 2


def enclosing_call(cf, k):
	toks = cf.toks
	d = 0
	j = k - 1
	while j > 0:
		t = toks[j].t
		if t in (')', ']'):
			d += 1
		elif t in ('(', '['):
			if d == 0:
				if t == '(' and toks[j - 1].k == 'id':
					return j - 1
				return None
			d -= 1
		elif t in (';', '{', '}') and d == 0:
			return None
		j -= 1
	return None


def is_alloc_check(cf, f, k, allocs):
	"""Is token k (in 'if (!E->cpu)') the statement right after an
	allocation in f?"""
	toks = cf.toks
	for g, a in allocs:
		if g is not f:
			continue
		e = a
		while toks[e].t != ';':
			e += 1
		if toks[e + 1].t == 'if' and e + 1 < k < e + 8:
			return True
	return False


def dma_window(cf, f, cpu, hnd, allocs):
	"""Tokens where the CPU may still use the buffer: the statements
	right after the allocation's error check that mention the CPU pointer
	and not the handle."""
	toks = cf.toks
	out = set()
	for g, a in allocs:
		if g is not f:
			continue
		stmt = None
		for s in f.body.walk():
			if s.kind == 'expr' and s.t0 <= a <= s.t1:
				stmt = s
		if stmt is None or stmt.parent is None or stmt.parent.kind != 'block':
			continue
		B = stmt.parent
		i = stmt.idx + 2
		while i < len(B.body):
			x = B.body[i]
			names = [toks[k].t for k in range(x.t0, x.t1 + 1)]
			if x.kind != 'expr' or cpu not in names or hnd in names:
				break
			out.update(range(x.t0, x.t1 + 1))
			i += 1
	return out


def plan_dma(cf, prof, plan):
	if prof['dma'] == 'no':
		return
	if not any(t.t in DMA_ALLOCS for t in cf.toks):
		return
	excl = excluded_functions(cf.path)
	for f in cf.funcs:
		if not any(cf.toks[k].t in DMA_ALLOCS for k in range(f.b0, f.b1)):
			continue
		if not cf.parse(f):
			continue
		dp = DmaPlanner(cf, f, prof)
		sites = dp.sites()
		ok_sites = []
		for st in sites:
			if f.name in excl:
				ok, why = False, excl[f.name]
			else:
				ok, why = dp.check_dma(st)
			if ok:
				st.kind = 'free'
				st.reason = 'freed on every path'
				ok_sites.append(st)
			else:
				st.kind = 'skip'
				st.reason = why
		if ok_sites:
			apply_sites(cf, f, dp, ok_sites, prof, plan)
		for st in sites:
			plan.report.append((st.line, f.name, collapse_ws(cf.text(st.stmt.t0, st.stmt.t1 - 1))[:70],
					    'dma' if st.kind == 'free' else 'skip', st.reason))
	plan_dma_fields(cf, prof, plan)
