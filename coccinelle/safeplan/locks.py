# SPDX-License-Identifier: GPL-2.0
"""
safeplan.locks - the lock rule family: lock/unlock pairs to guard() or
scoped_guard(), conditional locks to scoped_cond_guard() or ACQUIRE().

Both forms are decided by one walk over the function's control-flow graph
(LockPlanner.walk_section()), which follows every path from where the lock
is first held with the lock's state (held or released), and asks the
form's own policy what may run after an unlock.
"""

import re

from .cfront import *  # noqa: F401,F403
from .plan import *  # noqa: F401,F403
from .plan import SETTINGS  # noqa: F401

# --------------------------------------------------------------------------
# Locks
# --------------------------------------------------------------------------

# lock function -> (unlock function, guard class, takes flags)
LOCKS = {
	'mutex_lock': ('mutex_unlock', 'mutex', False),
	'spin_lock': ('spin_unlock', 'spinlock', False),
	'spin_lock_irq': ('spin_unlock_irq', 'spinlock_irq', False),
	'spin_lock_bh': ('spin_unlock_bh', 'spinlock_bh', False),
	'spin_lock_irqsave': ('spin_unlock_irqrestore', 'spinlock_irqsave', True),
	'raw_spin_lock': ('raw_spin_unlock', 'raw_spinlock', False),
	'raw_spin_lock_irq': ('raw_spin_unlock_irq', 'raw_spinlock_irq', False),
	'raw_spin_lock_bh': ('raw_spin_unlock_bh', 'raw_spinlock_bh', False),
	'raw_spin_lock_irqsave': ('raw_spin_unlock_irqrestore', 'raw_spinlock_irqsave', True),
	'down_read': ('up_read', 'rwsem_read', False),
	'down_write': ('up_write', 'rwsem_write', False),
	'rcu_read_lock': ('rcu_read_unlock', 'rcu', False),
}
UNLOCKS = dict((v[0], k) for k, v in LOCKS.items())

# Conditional locks: function -> (the plain lock it stands for, guard class
# of scoped_cond_guard() and ACQUIRE(), what its result means).  "err":
# zero on success, -EINTR on failure (every interruptible and killable
# primitive); "try": non-zero on success.  The classes are upstream's
# (mutex.h, rwsem.h, spinlock.h), safe_rwsem_read_kill safe's own.
COND_LOCKS = {
	'mutex_lock_interruptible': ('mutex_lock', 'mutex_intr', 'err'),
	'mutex_lock_killable': ('mutex_lock', 'mutex_kill', 'err'),
	'down_read_interruptible': ('down_read', 'rwsem_read_intr', 'err'),
	'down_read_killable': ('down_read', 'safe_rwsem_read_kill', 'err'),
	'down_write_killable': ('down_write', 'rwsem_write_kill', 'err'),
	'mutex_trylock': ('mutex_lock', 'mutex_try', 'try'),
	'down_read_trylock': ('down_read', 'rwsem_read_try', 'try'),
	'down_write_trylock': ('down_write', 'rwsem_write_try', 'try'),
	'spin_trylock': ('spin_lock', 'spinlock_try', 'try'),
	'spin_trylock_irq': ('spin_lock_irq', 'spinlock_irq_try', 'try'),
	'raw_spin_trylock': ('raw_spin_lock', 'raw_spinlock_try', 'try'),
}
# what every "err" primitive returns on failure
COND_ERRNO = '-EINTR'
# upstream classes <linux/safe/guard.h> has under another name only
SAFE_NAMES = {'mutex_kill': 'safe_mutex_kill'}


def call_stmt(cf, s, names):
	"""s is 'fn(args);' with fn in names: (fn, [arg token spans])."""
	if s is None or s.kind != 'expr':
		return None
	toks = cf.toks
	a = toks[s.t0]
	if a.k != 'id' or a.t not in names or toks[s.t0 + 1].t != '(':
		return None
	c = close_or_none(toks, s.t0 + 1, s.t1)
	if c is None:
		return None
	if c != s.t1 - 1:
		return None
	args = []
	d = 0
	st = s.t0 + 2
	for k in range(s.t0 + 2, c):
		x = toks[k]
		if x.t in ('(', '[', '{'):
			d += 1
		elif x.t in (')', ']', '}'):
			d -= 1
		elif x.t == ',' and d == 0:
			args.append((st, k - 1))
			st = k + 1
	if c > s.t0 + 2:
		args.append((st, c - 1))
	return a.t, args


class LockSite(object):
	def __init__(self, f, stmt, fn, key, flags):
		self.f = f
		self.stmt = stmt
		self.fn = fn
		self.key = key		# (family, lock expression text)
		self.flags = flags	# flags variable name for _irqsave
		self.cls = LOCKS[fn][1]
		self.kind = None	# guard scoped skip
		self.reason = ''
		self.drops = []		# unlock statements to delete
		self.end = None		# scoped: the closing unlock
		self.single = False	# scoped: one statement, no braces
		self.guard_ok = None
		self.scoped_ok = None
		self.guard_why = ''
		self.scoped_why = ''
		self.cond = None	# CondLock for a conditional lock
		self.head_end = stmt	# last statement that takes the lock

	@property
	def line(self):
		return self.f.toks[self.stmt.t0].line

	def entry(self):
		"""(head nodes, nodes where the lock is first held)."""
		if self.cond is None:
			return [self.stmt.nodes[-1]], list(self.stmt.nodes[-1].succ)
		return self.cond.entry()

	def region(self):
		"""(block, lo, hi): where a goto from outside may not land."""
		B = self.stmt.parent
		if self.kind == 'scoped':
			return B, self.head_end.idx + 1, self.end.idx - 1
		return B, self.head_end.idx + 1, len(B.body) - 1

	def dropped(self):
		return list(self.drops) + ([self.end] if self.kind == 'scoped' else [])

	def removed_tokens(self, cf):
		"""Tokens besides dropped statements that go: the flags."""
		out = set()
		if self.cond is not None:
			return self.cond.removed_tokens(self.kind)
		if self.flags is not None:
			c = call_stmt(cf, self.stmt, LOCKS)
			out.update(range(c[1][1][0], c[1][1][1] + 1))
			if self.kind == 'scoped':
				c = call_stmt(cf, self.end, UNLOCKS)
				out.update(range(c[1][1][0], c[1][1][1] + 1))
		return out

	def fallback(self, prof):
		"""A goto jumps into the guard's scope: scoped_guard() instead?"""
		if self.kind == 'guard' and self.scoped_ok and prof['lock_forms'] in ('both', 'scoped'):
			self.kind = 'scoped'
			self.drops = self.s_drops
			self.reason = 'guard() would be jumped into by a goto'
			return True
		return False

	def emit(self, cf, plan):
		toks = cf.toks
		plan.sites.append((self.f.name, self.fn, self.key, 'cond' if self.cond else self.kind,
				   len(self.drops) + (1 if self.kind == 'scoped' else 0)))
		lk = toks[self.stmt.t0]
		if self.cond is not None:
			self.cond.emit(cf, plan, self)
			return
		if self.kind == 'guard':
			plan.add(lk, 'guard', self.cls)
		else:
			plan.add(lk, 'scoped1' if self.single else 'scoped', self.cls)
			plan.add(toks[self.end.t0], 'end')


def stmt_text(cf, s, limit=60):
	t = ' '.join(cf.src[cf.toks[s.t0].off:cf.toks[s.t1].end].split())
	return t if len(t) <= limit else t[:limit - 3] + '...'


class CondLock(object):
	"""A conditional lock and the test of its result, in one of two shapes:

	  test:   if (mutex_lock_interruptible(&x)) FAIL;
		  if (!mutex_trylock(&x)) FAIL;
	  assign: ret = mutex_lock_interruptible(&x);
		  if (ret) FAIL;

	FAIL is "return X;", "return;" or "goto L;" (braces allowed).  It
	becomes scoped_cond_guard()'s second argument, or stays where it is
	after ACQUIRE() with ACQUIRE_ERR() as the test."""

	def __init__(self, cf, f, fn, call, test, var, fail):
		self.cf = cf
		self.f = f
		self.fn = fn
		self.call = call	# token index of the lock function
		self.test = test	# the if statement
		self.var = var		# assign: the variable, else None
		self.fail = fail	# the failure statement (return or goto)
		self.acq = None		# ACQUIRE(): name of the guard variable
		self.cls = COND_LOCKS[fn][1]

	def entry(self):
		head = self.test.nodes[0]
		then = set(n.id for x in self.test.then.walk() for n in x.nodes)
		return [head], [n for n in head.succ if n.id not in then]

	def fail_text(self):
		"""The failure statement as scoped_cond_guard()'s argument."""
		cf = self.cf
		r = self.fail
		if r.kind == 'goto':
			return 'goto ' + r.name
		if r.t1 == r.t0 + 1:
			return 'return'
		if self.var is not None and r.t1 == r.t0 + 2 and cf.toks[r.t0 + 1].t == self.var:
			return 'return ' + COND_ERRNO
		return 'return ' + cf.text(r.t0 + 1, r.t1 - 1)

	def removed_tokens(self, kind):
		if kind != 'scoped':
			return set()
		lo = self.test.t0 if self.var is None else self.test.parent.body[self.test.idx - 1].t0
		return set(range(lo, self.test.t1 + 1))

	def emit(self, cf, plan, st):
		tok = cf.toks[self.call]
		shape = 'assign' if self.var is not None else 'test'
		if st.kind == 'scoped':
			form = 'cond_scoped1' if st.single else 'cond_scoped'
			plan.add(tok, '%s_%s' % (form, shape), '%s, %s' % (self.cls, self.fail_text()))
			plan.add(cf.toks[st.end.t0], 'end')
		else:
			plan.add(tok, 'acquire_%s' % shape, (self.cls, self.acq))


class LockPlanner(object):
	def __init__(self, cf, f, prof):
		self.cf = cf
		self.f = f
		self.prof = prof
		self.toks = cf.toks

	def lock_of(self, s):
		c = call_stmt(self.cf, s, LOCKS)
		if c is None:
			return None
		fn, args = c
		want = 2 if LOCKS[fn][2] else (0 if fn == 'rcu_read_lock' else 1)
		if len(args) != want:
			return None
		e = self.cf.tokstr(*args[0]) if args else ''
		fl = self.cf.tokstr(*args[1]) if want == 2 else None
		return fn, (LOCKS[fn][1], e), fl

	def unlock_of(self, s):
		c = call_stmt(self.cf, s, UNLOCKS)
		if c is None:
			return None
		fn, args = c
		lfn = UNLOCKS[fn]
		want = 2 if LOCKS[lfn][2] else (0 if lfn == 'rcu_read_lock' else 1)
		if len(args) != want:
			return None
		e = self.cf.tokstr(*args[0]) if args else ''
		fl = self.cf.tokstr(*args[1]) if want == 2 else None
		return fn, (LOCKS[lfn][1], e), fl

	def sites(self):
		out = []
		for s in self.f.body.walk():
			lk = self.lock_of(s)
			if lk:
				out.append(LockSite(self.f, s, lk[0], lk[1], lk[2]))
				continue
			c = self.cond_of(s)
			if c is None:
				continue
			if c[0] == 'skip':
				st = LockSite(self.f, s, COND_LOCKS[c[1]][0], ('cond', str(s.t0)), None)
				st.fn = c[1]
				st.kind = 'skip'
				st.reason = c[2]
				out.append(st)
				continue
			cl, key = c
			st = LockSite(self.f, s, COND_LOCKS[cl.fn][0], key, None)
			st.fn = cl.fn
			st.cls = cl.cls
			st.cond = cl
			st.head_end = cl.test
			out.append(st)
		return out

	def cond_call(self, i0, i1):
		"""Tokens i0..i1 are FN(E) with FN a conditional lock: (FN, E text)."""
		toks = self.toks
		if i1 - i0 < 3 or toks[i0].t not in COND_LOCKS or toks[i0 + 1].t != '(' or toks[i1].t != ')':
			return None
		try:
			if match_close(toks, i0 + 1, i1) != i1:
				return None
		except ParseError:
			return None
		if any(toks[k].t == ',' for k in range(i0 + 2, i1)):
			return None
		return toks[i0].t, self.cf.tokstr(i0 + 2, i1 - 1)

	def cond_fail(self, st):
		"""The failure branch of test st as one return/goto, or None."""
		if st.els is not None:
			return None
		t = st.then
		if t.kind == 'block' and len(t.body) == 1 and not self.cf.has_comment(t.t0, t.t1):
			t = t.body[0]
		return t if t.kind in ('return', 'goto') else None

	def cond_of(self, s):
		"""A conditional lock at s: (CondLock, key), a string saying why
		it cannot be converted, or None when s takes no conditional lock."""
		toks = self.toks
		cf = self.cf
		if s.kind == 'if' and s.cond is not None:
			a, b = s.cond[0] + 1, s.cond[1] - 1
			neg = toks[a].t == '!'
			c = self.cond_call(a + 1 if neg else a, b)
			if c is None:
				c = self.cond_call(a, b - 2) if b - a > 4 and toks[b - 1].t in ('!=', '<', '==') and toks[b].t == '0' else None
				neg = c is not None and toks[b - 1].t == '=='
			if c is None:
				return None
			fn, e = c
			kind = COND_LOCKS[fn][2]
			if neg != (kind == 'try'):
				return None
			var = None
			call = a + 1 if toks[a].t == '!' else a
		elif s.kind == 'expr' and toks[s.t0].k == 'id' and toks[s.t0 + 1].t == '=':
			c = self.cond_call(s.t0 + 2, s.t1 - 1)
			if c is None:
				return None
			fn, e = c
			if COND_LOCKS[fn][2] != 'err':
				return ('skip', fn, '%s() result kept in a variable' % fn)
			var = toks[s.t0].t
			B = s.parent
			nx = B.body[s.idx + 1] if B is not None and B.kind == 'block' and s.idx + 1 < len(B.body) else None
			if nx is None or nx.kind != 'if' or nx.cond is None:
				return ('skip', fn, 'the result of %s() is not tested right after it' % fn)
			ct = [x.t for x in toks[nx.cond[0] + 1:nx.cond[1]]]
			if ct not in ([var], [var, '<', '0'], [var, '!=', '0'], ['unlikely', '(', var, ')']):
				return ('skip', fn, 'the result of %s() is not tested right after it' % fn)
			call = s.t0 + 2
			s = nx
		elif s.kind == 'decl':
			for k in range(s.t0, s.t1):
				if toks[k].t in COND_LOCKS and toks[k + 1].t == '(':
					return ('skip', toks[k].t, 'the result of %s() initialises a declaration' % toks[k].t)
			return None
		else:
			return None
		fail = self.cond_fail(s)
		if fail is None:
			return ('skip', fn, '%s(): the failure branch is more than one return or goto' % fn)
		if var is not None and fail.kind == 'goto':
			return ('skip', fn, '%s(): the failure path may read %s' % (fn, var))
		if var is not None:
			for k in range(fail.t0 + 1, fail.t1):
				if toks[k].t == var and fail.t1 != fail.t0 + 2:
					return ('skip', fn, '%s(): the failure path computes with %s' % (fn, var))
		fam = LOCKS[COND_LOCKS[fn][0]][1]
		return CondLock(cf, self.f, fn, call, s, var, fail), (fam, e)

	def var_written_first(self, nodes, name):
		"""On every path from nodes, is name written before it is read?"""
		toks = self.toks
		seen = set()
		work = list(nodes)
		while work:
			nd = work.pop()
			if nd.id in seen:
				continue
			seen.add(nd.id)
			st = nd.stmt
			if nd.kind == 'exit' or st is None:
				continue
			if nd.kind == 'cond':
				span = range(st.cond[0], st.cond[1] + 1) if st.cond else ()
			else:
				span = range(st.t0, st.t1 + 1)
			uses = [k for k in span if toks[k].t == name and toks[k].k == 'id']
			if st.kind == 'expr' and nd.kind != 'cond' and toks[st.t0].t == name and toks[st.t0 + 1].t == '=' \
			   and not any(k > st.t0 for k in uses):
				continue	# written: this path is done
			if uses:
				return False
			work.extend(nd.succ)
		return True

	# ---- scope helpers

	def top_in(self, s, block):
		"""The ancestor of s that is a direct child of block, or None."""
		while s is not None and s.parent is not block:
			s = s.parent
		return s

	def in_region(self, s, block, lo, hi):
		a = self.top_in(s, block)
		return a is not None and lo <= a.idx <= hi

	def node_in(self, nd, block, lo, hi):
		if nd.stmt is None:
			return False
		return self.in_region(nd.stmt, block, lo, hi)

	def is_unlock(self, s, site):
		u = self.unlock_of(s)
		return u is not None and u[1] == site.key and u[2] == site.flags

	def is_lock(self, s, site):
		lk = self.lock_of(s)
		return lk is not None and lk[1] == site.key

	def trivial_after_unlock(self, s, others):
		"""May s run under the lock although it ran after the unlock?"""
		k = s.kind
		if k in ('label', 'empty', 'case'):
			return True
		if k == 'block':
			return True
		if k == 'return':
			if s.t1 == s.t0 + 1:
				return True
			return is_trivial_expr(self.cf, self.f, s.t0 + 1, s.t1 - 1)
		if k in ('goto', 'break', 'continue'):
			return True
		if k == 'expr':
			if local_assign(self.cf, self.f, s) and \
			   is_trivial_expr(self.cf, self.f, s.t0 + 2, s.t1 - 1):
				return True
			if others and s in others:
				return True
		return False

	def error_check(self, st):
		"""'if (ret) return ret;' and the like: error propagation on a
		local, no work of its own."""
		toks = self.toks
		c = [x.t for x in toks[st.cond[0] + 1:st.cond[1]]]
		names = set(self.f.locals) | self.f.params
		ok = False
		if len(c) == 1 and c[0] in names:
			ok = True
		elif len(c) == 2 and c[0] == '!' and c[1] in names:
			ok = True
		elif len(c) == 3 and c[0] in names and c[1] in ('<', '!=', '==') and \
			(c[2] == '0' or c[2] == 'NULL'):
			ok = True
		elif len(c) == 4 and c[0] in ('IS_ERR', 'IS_ERR_OR_NULL') and c[2] in names:
			ok = True
		if not ok or st.els is not None:
			return False
		t = st.then
		if t.kind == 'block' and len(t.body) == 1:
			t = t.body[0]
		return t.kind == 'return' and self.trivial_after_unlock(t, None)

	# ---- guard()

	def walk_section(self, site, B, lo, hi, end, after_unlock):
		"""The one walk behind both forms.  From where site's lock is first
		held, follow every path with the lock's state (held or released)
		until it leaves statements lo..hi of block B (or reaches end, the
		unlock that closes a scoped section):

		- held: an unlock of the lock releases it (it is one of the
		  unlocks the conversion drops); taking it again, returning or
		  leaving the region with it held fails;
		- released: a second unlock fails, and after_unlock(nd, st, held
		  state) says whether statement st may run under the lock once
		  the conversion extends the section over it: None for yes (and
		  go on), a reason for no.

		Returns (drops, reason): the unlocks reached, or None and why not."""
		heads, first = site.entry()
		drops = []
		seen = set()
		work = [(n, True, heads[0]) for n in first]
		while work:
			nd, held, src = work.pop()
			if (nd.id, held) in seen:
				continue
			seen.add((nd.id, held))
			if end is not None and nd is end.nodes[0]:
				if not held:
					return None, 'unlocked before the end of the critical section'
				continue
			if not self.node_in(nd, B, lo, hi):
				if end is not None and src.brk and src.stmt is not None:
					return None, '%s inside the critical section would bind to scoped_guard()' % src.stmt.kind
				if held:
					if nd.kind == 'exit':
						return None, 'returns with the lock held'
					if end is None:
						return None, 'the lock is held past the end of its block'
					return None, 'leaves the critical section with the lock held (line %d)' % self.toks[src.stmt.t0].line
				continue
			st = nd.stmt
			if nd.kind == 'cond' and st.kind == 'block':
				work.extend((x, held, nd) for x in nd.succ)
				continue
			if held:
				if self.is_unlock(st, site):
					drops.append(st)
					work.extend((x, False, nd) for x in nd.succ)
					continue
				if self.is_lock(st, site):
					return None, 'the lock is taken again at line %d' % self.toks[st.t0].line
				if st.kind == 'return':
					return None, 'returns with the lock held at line %d' % self.toks[st.t0].line
				work.extend((x, True, nd) for x in nd.succ)
				continue
			if self.is_unlock(st, site):
				return None, 'unlocked twice on a path (line %d)' % self.toks[st.t0].line
			why = after_unlock(nd, st)
			if why:
				return None, why
			work.extend((x, False, nd) for x in nd.succ)
		return drops, ''

	# ---- guard()

	def check_guard(self, site, others):
		"""guard(): the lock may be held to the end of its block.  After an
		unlock only what may as well run under the lock may follow: a
		return of a local or a constant, a local assignment, an unlock
		another guard drops (others), an error check of a local."""
		s = site.stmt
		B = s.parent
		if B is None or B.kind != 'block':
			return False, 'the lock is taken in a conditional statement without braces'
		if B.parent is not None and B.parent.kind == 'switch':
			return False, 'a guard() in a switch body would be jumped over by its case labels'
		lo = site.head_end.idx + 1
		hi = len(B.body) - 1
		heads, first = site.entry()

		def after_unlock(nd, st):
			if nd.kind == 'cond' and st.kind == 'if' and self.error_check(st):
				return None	# a test of locals: each branch is walked
			if nd.kind == 'cond' and st.kind in ('if', 'switch', 'for', 'while', 'do', 'iter'):
				return 'code after the unlock at line %d would run under the lock' % self.toks[st.t0].line
			if not self.trivial_after_unlock(st, others):
				return 'code after the unlock would run under the lock: %s' % stmt_text(self.cf, st)
			return None

		drops, why = self.walk_section(site, B, lo, hi, None, after_unlock)
		if drops is None:
			return False, why
		if not drops:
			return False, 'no unlock'
		# nothing may enter the scope except through the lock
		for nd in self.f.cfg.nodes:
			if not self.node_in(nd, B, lo, hi):
				continue
			for p in nd.pred:
				if p in heads or self.node_in(p, B, lo, hi):
					continue
				if p.stmt is not None and p.stmt.kind == 'goto':
					continue	# checked once the gotos are planned
				if nd.stmt is not None and nd.stmt.kind == 'case':
					return False, 'a case label is inside the scope'
				if p.stmt is not None and p.stmt.kind == 'block' and p.stmt is B:
					continue
				return False, 'control enters the scope without taking the lock (line %d)' % self.toks[nd.stmt.t0].line
		site.drops = sorted(set(drops), key=lambda x: x.t0)
		return True, ''

	# ---- scoped_guard()

	def check_scoped(self, site):
		s = site.stmt
		B = s.parent
		if B is None or B.kind != 'block':
			return False, 'the lock is taken in a conditional statement without braces'
		end = None
		for x in B.body[site.head_end.idx + 1:]:
			if self.is_unlock(x, site):
				end = x
				break
			if self.is_lock(x, site):
				break
		if end is None:
			return False, 'not unlocked in the block that takes it'
		lo = site.head_end.idx + 1
		hi = end.idx - 1
		if hi < lo:
			return False, 'empty critical section'
		for x in B.body[lo:hi + 1]:
			for y in x.walk():
				if y.kind == 'pp':
					return False, 'a preprocessor conditional is inside the critical section'
		site.inner_labels = []
		for x in B.body[lo:hi + 1]:
			if x.kind == 'case':
				return False, 'a case label inside the critical section'
			if x.kind == 'label':
				# fine only if every goto to it becomes a return
				# (apply_sites checks once the gotos are planned)
				site.inner_labels.append(x.name)
		heads, first = site.entry()

		def after_unlock(nd, st):
			# an early exit after an unlock inside the section: the
			# jump stays, the unlock goes with scoped_guard()'s end
			if st.kind in ('goto', 'return', 'break', 'continue', 'label', 'empty'):
				if st.kind == 'return' and not self.trivial_after_unlock(st, None):
					return 'the return value after the unlock would be computed under the lock'
				return None
			if st.kind == 'expr' and self.trivial_after_unlock(st, None):
				return None
			return 'code after an unlock inside the critical section: %s' % stmt_text(self.cf, st)

		drops, why = self.walk_section(site, B, lo, hi, end, after_unlock)
		if drops is None:
			return False, why
		# entries only through the lock
		for nd in self.f.cfg.nodes:
			if not self.node_in(nd, B, lo, hi):
				continue
			for p in nd.pred:
				if p in heads or self.node_in(p, B, lo, hi):
					continue
				return False, 'control enters the critical section from outside (line %d)' % self.toks[nd.stmt.t0].line
		# declarations moved into the new block must not be used after it
		names = set()
		for x in B.body[lo:hi + 1]:
			if x.kind == 'decl':
				for nm, _ in decl_names(self.toks, x):
					names.add(nm)
		if names:
			for x in B.body[hi + 1:]:
				for k in range(x.t0, x.t1 + 1):
					if self.toks[k].k == 'id' and self.toks[k].t in names:
						return False, 'a variable declared in the critical section is used after it'
		site.drops = sorted(set(drops), key=lambda x: x.t0)
		site.end = end
		region = B.body[lo:hi + 1]
		# no braces only for one statement on one line: a loop or an
		# if that spans lines keeps its layout better inside braces
		site.single = (len(region) == 1 and region[0].kind not in ('decl', 'label', 'case', 'empty', 'pp') and
			       self.toks[region[0].t0].line == self.toks[region[0].t1].line)
		return True, ''


def collapse_ws(s):
	return ' '.join(s.split())




def plan_locks(cf, prof, plan):
	missing = set(x for x in prof['missing_classes'].split(',') if x)
	excl = excluded_functions(cf.path)
	types = prof['lock_types']
	allowed = None if types == 'all' else set(x.strip() for x in types.split(','))
	forms = prof['lock_forms']
	for f in cf.funcs:
		if not any(cf.toks[k].t in LOCKS or cf.toks[k].t in COND_LOCKS for k in range(f.b0, f.b1)):
			continue
		if not cf.parse(f):
			for k in range(f.b0, f.b1):
				if (cf.toks[k].t in LOCKS or cf.toks[k].t in COND_LOCKS) and cf.toks[k + 1].t == '(':
					plan.report.append((cf.toks[k].line, f.name, cf.toks[k].t, 'skip',
							    'cannot parse the function: ' + f.error))
			continue
		lp = LockPlanner(cf, f, prof)
		sites = lp.sites()
		if not sites:
			continue
		for st in sites:
			if f.name in excl:
				st.kind = 'skip'
				st.reason = excl[f.name]
			elif st.cond is None and st.cls in missing:
				st.kind = 'skip'
				st.reason = 'the target kernel has no %s guard class' % st.cls
			elif allowed is not None and st.cls not in allowed:
				st.kind = 'skip'
				st.reason = 'lock type %s not in this profile' % st.cls
			elif func_too_long(f, prof['lock_max_lines']):
				st.kind = 'skip'
				st.reason = 'function is %d lines, over the profile limit of %d' % (f.lines(), prof['lock_max_lines'])
		# guard() candidates, to a fixpoint: an unlock of another
		# converted guard counts as free
		cand = [st for st in sites if st.kind is None]
		guard_ok = {}
		changed = True
		while changed:
			changed = False
			others = set()
			for st in cand:
				if guard_ok.get(st, True):
					for d in st.drops:
						others.add(d)
			for st in cand:
				if guard_ok.get(st) is False:
					continue
				ok, why = lp.check_guard(st, others)
				st.guard_why = why
				if guard_ok.get(st) != ok:
					guard_ok[st] = ok
					changed = True
		for st in cand:
			st.guard_ok = guard_ok.get(st, False)
			g_drops = list(st.drops) if st.guard_ok else []
			ok, why = lp.check_scoped(st)
			st.scoped_ok = ok
			st.scoped_why = why
			st.g_drops = g_drops
			st.s_drops = list(st.drops) if ok else []
		for st in cand:
			if st.cond is not None:
				choose_cond(cf, f, lp, st, prof)
			else:
				choose(cf, f, st, prof, forms)
		# settle what apply_sites() would still skip, then keep one lock
		# from mixing guards and goto unwinding, then plan for real
		apply_sites(cf, f, lp, [st for st in sites if st.kind in ('guard', 'scoped')], prof, Plan(cf.path))
		no_goto_mix(cf, f, lp, sites)
		apply_sites(cf, f, lp, [st for st in sites if st.kind in ('guard', 'scoped')], prof, plan)
		for st in sites:
			plan.lock_sites.append((f, st))
			plan.report.append((st.line, f.name, collapse_ws(cf.text(st.stmt.t0, st.stmt.t1 - 1)), st.kind, st.reason))


def no_goto_mix(cf, f, lp, sites):
	"""A lock is either all guards or all lock/unlock: where an unlock of
	a lock some site converts stays behind a label a goto jumps to (goto
	unwinding), the function would mix the two for one lock, which
	cleanup.h's documentation tells authors not to do.  Such sites are
	skipped."""
	conv = [st for st in sites if st.kind in ('guard', 'scoped')]
	if not conv or not f.cfg.gotos:
		return
	targets = set(nd.stmt.name for nd in f.cfg.gotos)
	gone = set()
	for st in conv:
		gone.update(st.drops)
		if st.end is not None:
			gone.add(st.end)
	for st in conv:
		why = None
		for s in f.body.walk():
			if s in gone or not lp.is_unlock(s, st):
				continue
			# the labels that lead to this unlock
			B = s.parent
			if B is None or B.kind != 'block':
				continue
			k = s.idx - 1
			while k >= 0 and B.body[k].kind in ('label', 'empty') or \
			      (k >= 0 and B.body[k] in gone):
				x = B.body[k]
				if x.kind == 'label' and x.name in targets:
					why = 'the function keeps goto unwinding for this lock (label %s, line %d): no guard and goto for one lock' % (
						x.name, cf.toks[x.t0].line)
					break
				k -= 1
			if why:
				break
		if why:
			st.kind = 'skip'
			st.reason = why


def site_features(cf, f, st):
	B = st.stmt.parent
	feat = {'g': int(bool(st.guard_ok)), 's': int(bool(st.scoped_ok)),
		'flines': f.lines(), 'body': int(B is f.body), 'ndrops': len(st.g_drops or st.s_drops)}
	if st.end is not None:
		region = B.body[st.stmt.idx + 1:st.end.idx]
		feat['rlen'] = len(region)
		feat['rlines'] = cf.toks[st.end.t0].line - cf.toks[st.stmt.t0].line - 1
		after = B.body[st.end.idx + 1:]
		feat['after'] = len(after)
		feat['after_ret'] = int(len(after) == 1 and after[0].kind == 'return')
		feat['before'] = len([x for x in B.body[:st.stmt.idx] if x.kind != 'decl'])
		feat['ret_void'] = int(len(after) == 1 and after[0].kind == 'return' and after[0].t1 == after[0].t0 + 1)
	if B.parent is not None:
		feat['in'] = B.parent.kind
	feat['tail'] = tail_kind(cf, f, st)
	return feat


def tail_kind(cf, f, st):
	"""What follows the critical section: 'none', 'void' (return;),
	'var' (returns a variable the section assigned), 'const', 'expr'."""
	if st.end is None:
		return '?'
	B = st.stmt.parent
	after = [x for x in B.body[st.end.idx + 1:] if x.kind != 'empty']
	if not after:
		return 'none'
	if len(after) > 1 or after[0].kind != 'return':
		return 'work'
	r = after[0]
	if r.t1 == r.t0 + 1:
		return 'void'
	toks = cf.toks
	if r.t1 == r.t0 + 2:
		x = toks[r.t0 + 1]
		if x.k == 'id' and x.t in f.locals:
			assigned = set()
			for y in B.body[st.stmt.idx + 1:st.end.idx]:
				for z in y.walk():
					nm = local_assign(cf, f, z) if z.kind == 'expr' else None
					if nm is None and z.kind == 'expr' and toks[z.t0].k == 'id' and toks[z.t0 + 1].t == '=':
						nm = toks[z.t0].t
					if nm:
						assigned.add(nm)
			return 'var' if x.t in assigned else 'local'
		if x.k == 'num' or re.match(r'^[A-Z][A-Z0-9_]*$', x.t):
			return 'const'
	if toks[r.t0 + 1].t == '-' and r.t1 == r.t0 + 3:
		return 'const'
	return 'expr'


def choose_cond(cf, f, lp, st, prof):
	"""scoped_cond_guard() or ACQUIRE() for a conditional lock.

	The profile's cond_form names the form wanted (scoped: what drivers/
	of 7.3 mostly write); the other one is the fallback where only it is
	correct.  scoped_cond_guard() needs the critical section to end in its
	block; ACQUIRE() that the lock is held to the end of the block.  The
	"ret = lock(); if (ret) return ret;" shape loses its assignment in
	scoped_cond_guard(), so there ret must be written before it is read
	again on every path."""
	cl = st.cond
	missing = set(x for x in prof['missing_classes'].split(',') if x)
	if prof['include'] == 'safe':
		# <linux/safe/guard.h> backfills every class and ACQUIRE(); the
		# killable mutex under its own name where the kernel lacks it
		if cl.cls in SAFE_NAMES and cl.cls in missing:
			cl.cls = SAFE_NAMES[cl.cls]
		missing = set()
	if cl.cls in missing:
		st.kind = 'skip'
		st.reason = 'the target kernel has no %s guard class' % cl.cls
		return
	sc = st.scoped_ok
	if sc and cl.var is not None and not lp.var_written_first(st.entry()[1], cl.var):
		sc = False
		st.scoped_why = '%s is read after the lock without being set again' % cl.var
	acq = st.guard_ok and 'ACQUIRE' not in missing
	if st.guard_ok and not acq:
		st.guard_why = 'the target kernel has no ACQUIRE()'
	order = ('scoped', 'acquire') if prof['cond_form'] != 'acquire' else ('acquire', 'scoped')
	for form in order:
		if form == 'scoped' and sc:
			st.kind = 'scoped'
			st.drops = st.s_drops
			st.reason = 'scoped_cond_guard(): the critical section ends in its block'
			return
		if form == 'acquire' and acq:
			st.kind = 'guard'
			st.drops = st.g_drops
			names = set(f.locals) | f.params
			cl.acq = next(n for n in ('lock', 'lock_guard', 'cond_lock') if n not in names)
			st.reason = 'ACQUIRE(): held to the end of its block'
			return
	st.kind = 'skip'
	why = []
	if st.guard_why:
		why.append('ACQUIRE: ' + st.guard_why)
	if st.scoped_why and st.scoped_why != st.guard_why:
		why.append('scoped_cond_guard: ' + st.scoped_why)
	st.reason = '; '.join(why) or 'no form applies'


def choose(cf, f, st, prof, forms):
	"""guard() or scoped_guard(), as a careful maintainer would."""
	g = st.guard_ok and forms in ('both', 'guard')
	if g and func_too_long(f, prof['guard_max_lines']):
		g = False
		st.guard_why = 'function is %d lines, over the guard() limit of %d' % (f.lines(), prof['guard_max_lines'])
	sc = st.scoped_ok and forms in ('both', 'scoped')
	if g and sc and prefer_scoped(cf, f, st):
		g = False
	if g:
		st.kind = 'guard'
		st.drops = st.g_drops
		st.reason = 'held to the end of its block'
	elif sc:
		st.kind = 'scoped'
		st.drops = st.s_drops
		st.reason = 'work follows the critical section' if not st.guard_ok else 'short critical section'
	else:
		st.kind = 'skip'
		why = []
		if st.guard_why:
			why.append('guard: ' + st.guard_why)
		if st.scoped_why and st.scoped_why != st.guard_why:
			why.append('scoped_guard: ' + st.scoped_why)
		st.reason = '; '.join(why) or 'profile allows neither form'


def prefer_scoped(cf, f, st):
	"""Both forms are correct: which one would a maintainer write?

	guard() when the lock is held to the end of the function anyway.  A
	critical section that is a small part of a bigger block stays a
	visible block: scoped_guard()."""
	return False
