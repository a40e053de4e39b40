# SPDX-License-Identifier: GPL-2.0
"""
safecocci - the planner behind safe's semantic patches.

spatch does the rewriting; this module decides where.  Each .cocci file
imports it from its @initialize:python@ rule (see find_self() below) and
asks, for a token position spatch has matched, whether and how to rewrite
it.  The decisions come from a small C front end of its own: a tokenizer,
a statement parser and a control-flow graph per function, enough to prove
for every path that a lock is released exactly once and that nothing which
ran outside a critical section moves into it.

Run it directly to see the plan for a file:

	python3 coccinelle/safecocci.py plan FILE.c [PROFILE [locks|free|dma]]
"""

import os
import re
import sys

# --------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------

PROFILE_KEYS = {
	# guard, scoped or both: which lock forms may be emitted
	'lock_forms': 'both',
	# 0 = no limit; else no lock conversion in functions longer than this
	'lock_max_lines': 0,
	# 0 = no limit; else no guard() (scoped_guard() is fine) in longer functions
	'guard_max_lines': 0,
	# lock families to convert (comma list, or "all")
	'lock_types': 'all',
	# convert allocations to __free(): yes/no
	'free': 'yes',
	# convert dma_alloc_coherent() users to struct safe_dma_buf: yes/no
	'dma': 'yes',
	# header added for guard()/__free(): cleanup (linux/cleanup.h) or safe
	'include': 'cleanup',
	# the length checker's threshold (lines)
	'check_guard_lines': 20,
	# guard classes the target kernel lacks (comma list, "ACQUIRE" for
	# the macro); set by make migrate
	'missing_classes': '',
	# conditional locks: scoped (scoped_cond_guard()) or acquire
	# (ACQUIRE()/ACQUIRE_ERR()); the other form where only it applies
	'cond_form': 'scoped',
}


def _profile_dir():
	return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'profiles')


def load_profile(name=None, overrides=None):
	"""Profile NAME (a file in profiles/ or a path), then KEY=VALUE overrides."""
	prof = dict(PROFILE_KEYS)
	chain = []
	seen = set()
	while name and name not in seen:
		seen.add(name)
		path = name
		if not os.path.exists(path):
			path = os.path.join(_profile_dir(), name + '.profile')
		if not os.path.exists(path):
			raise ValueError('safe: no such profile: %s' % name)
		vals = {}
		parent = None
		for line in open(path):
			line = line.split('#', 1)[0].strip()
			if not line or '=' not in line:
				continue
			k, v = [x.strip() for x in line.split('=', 1)]
			if k == 'inherit':
				parent = v
			elif k not in PROFILE_KEYS:
				raise ValueError('safe: %s: unknown key %s' % (path, k))
			else:
				vals[k] = v
		chain.append(vals)
		name = parent
	for vals in reversed(chain):
		prof.update(vals)
	for k, v in (overrides or {}).items():
		if k in PROFILE_KEYS:
			prof[k] = v
	for k in ('lock_max_lines', 'guard_max_lines', 'check_guard_lines'):
		prof[k] = int(prof[k])
	return prof


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


# --------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------

class Tok(object):
	__slots__ = ('k', 't', 'line', 'col', 'off', 'end', 'i')

	def __init__(self, k, t, line, col, off, end):
		self.k = k		# id num str chr op pp
		self.t = t
		self.line = line	# 1-based, as spatch
		self.col = col		# 0-based, as spatch
		self.off = off
		self.end = end
		self.i = -1

	def __repr__(self):
		return '%s@%d:%d' % (self.t, self.line, self.col)


_OPS = ['<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==',
	'!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##']
_ID = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*')
_NUM = re.compile(r'\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*')


def tokenize(src):
	toks = []
	comments = []
	i = 0
	n = len(src)
	line = 1
	lstart = 0
	bol = True		# only whitespace so far on this line
	while i < n:
		c = src[i]
		if c == '\n':
			line += 1
			i += 1
			lstart = i
			bol = True
			continue
		if c in ' \t\r\f\v':
			i += 1
			continue
		if c == '\\' and i + 1 < n and src[i + 1] == '\n':
			i += 2
			line += 1
			lstart = i
			continue
		if src.startswith('/*', i):
			j = src.find('*/', i + 2)
			j = n if j < 0 else j + 2
			comments.append((i, j, line))
			line += src.count('\n', i, j)
			k = src.rfind('\n', i, j)
			if k >= 0:
				lstart = k + 1
			i = j
			continue
		if src.startswith('//', i):
			j = src.find('\n', i)
			j = n if j < 0 else j
			comments.append((i, j, line))
			i = j
			continue
		col = i - lstart
		if c == '#' and bol:
			j = i
			sline = line
			while True:
				k = src.find('\n', j)
				if k < 0:
					k = n
					break
				# a comment may span lines inside a directive
				cs = src.find('/*', j, k)
				if cs >= 0:
					ce = src.find('*/', cs + 2)
					if ce > k:
						line += src.count('\n', k, ce)
						j = ce + 2
						continue
				if k > 0 and src[k - 1] == '\\':
					line += 1
					j = k + 1
					continue
				break
			toks.append(Tok('pp', src[i:k], sline, col, i, k))
			i = k
			continue
		bol = False
		if c == '"' or c == "'":
			j = i + 1
			while j < n and src[j] != c:
				if src[j] == '\\':
					j += 1
				if j < n and src[j] == '\n':
					break
				j += 1
			j = min(j + 1, n)
			toks.append(Tok('str' if c == '"' else 'chr', src[i:j], line, col, i, j))
			i = j
			continue
		m = _ID.match(src, i)
		if m:
			j = m.end()
			# L"..." / u8"..." prefixes
			if j < n and src[j] in '"\'' and m.group(0) in ('L', 'u', 'U', 'u8'):
				i = j
				continue
			toks.append(Tok('id', m.group(0), line, col, i, j))
			i = j
			continue
		m = _NUM.match(src, i)
		if m:
			toks.append(Tok('num', m.group(0), line, col, i, m.end()))
			i = m.end()
			continue
		for op in _OPS:
			if src.startswith(op, i):
				break
		else:
			op = c
		toks.append(Tok('op', op, line, col, i, i + len(op)))
		i += len(op)
	for k, t in enumerate(toks):
		t.i = k
	return toks, comments


# --------------------------------------------------------------------------
# Statements
# --------------------------------------------------------------------------

TYPE_WORDS = set('''void char short int long float double signed unsigned
_Bool bool struct union enum const volatile static register extern auto
inline __inline__ typeof __typeof__ u8 u16 u32 u64 s8 s16 s32 s64 __u8 __u16
__u32 __u64 __s8 __s16 __s32 __s64 __le16 __le32 __le64 __be16 __be32 __be64
size_t ssize_t loff_t dma_addr_t phys_addr_t resource_size_t gfp_t bool
uint8_t uint16_t uint32_t uint64_t int8_t int16_t int32_t int64_t uintptr_t
__iomem __user __maybe_unused __always_unused uint ulong ushort umode_t
irqreturn_t pid_t uid_t gid_t off_t atomic_t __poll_t fmode_t sector_t
blk_status_t vm_fault_t netdev_tx_t ktime_t time64_t spinlock_t
raw_spinlock_t wait_queue_head_t'''.split())

KEYWORDS = set('''if else for while do switch case default return goto break
continue sizeof typeof __typeof__ asm __asm__ volatile'''.split())


class ParseError(Exception):
	pass


class Stmt(object):
	"""A statement: kind, token span [t0, t1], children."""

	def __init__(self, kind, t0, t1=None):
		self.kind = kind
		self.t0 = t0
		self.t1 = t1
		self.parent = None	# enclosing Stmt
		self.body = []		# block: statements; loops/if/switch: sub
		self.cond = None	# (i0, i1) token span of the parenthesised part
		self.then = None
		self.els = None
		self.sub = None		# loop/switch/iter body, label target
		self.name = None	# label/goto name, iterator name
		self.idx = -1		# index in parent block
		self.nodes = []		# CFG nodes belonging to it

	def __repr__(self):
		return '<%s %d-%s>' % (self.kind, self.t0, self.t1)

	def children(self):
		if self.kind == 'block':
			return list(self.body)
		out = []
		for c in (self.then, self.els, self.sub):
			if c is not None:
				out.append(c)
		return out

	def walk(self):
		yield self
		for c in self.children():
			for s in c.walk():
				yield s


class Parser(object):
	def __init__(self, toks, lo, hi):
		self.toks = toks
		self.lo = lo
		self.hi = hi		# index of the closing '}' of the body

	def t(self, i):
		if i > self.hi:
			raise ParseError('unexpected end')
		return self.toks[i]

	def match_close(self, i):
		"""i is at ( [ or {; return the index of its partner."""
		pairs = {'(': ')', '[': ']', '{': '}'}
		stack = []
		j = i
		while j <= self.hi:
			t = self.toks[j].t
			if self.toks[j].k == 'op':
				if t in pairs:
					stack.append(pairs[t])
				elif t in (')', ']', '}'):
					if not stack or stack.pop() != t:
						raise ParseError('unbalanced %s at %r' % (t, self.toks[j]))
					if not stack:
						return j
			j += 1
		raise ParseError('unclosed')

	def parse_block(self, i):
		"""i at '{'; return a block statement."""
		b = Stmt('block', i)
		j = i + 1
		while True:
			tk = self.t(j)
			if tk.k == 'op' and tk.t == '}':
				break
			s, j = self.parse_stmt(j, in_block=True)
			s.parent = b
			s.idx = len(b.body)
			b.body.append(s)
		b.t1 = j
		return b

	def end_of_expr(self, i):
		"""Index of the ';' ending the statement starting at i."""
		j = i
		while True:
			tk = self.t(j)
			if tk.k == 'op':
				if tk.t in '([{':
					j = self.match_close(j)
				elif tk.t == ';':
					return j
				elif tk.t == '}':
					raise ParseError('missing ; before %r' % tk)
			elif tk.k == 'pp':
				raise ParseError('directive inside a statement at %r' % tk)
			j += 1

	def sub_stmt(self, s, j):
		sub, j = self.parse_stmt(j)
		sub.parent = s
		return sub, j

	def parse_stmt(self, i, in_block=False):
		tk = self.t(i)
		t = tk.t
		if tk.k == 'pp':
			return Stmt('pp', i, i), i + 1
		if tk.k == 'op':
			if t == '{':
				b = self.parse_block(i)
				return b, b.t1 + 1
			if t == ';':
				return Stmt('empty', i, i), i + 1
		if tk.k == 'id':
			nx = self.t(i + 1)
			if t == 'if':
				s = Stmt('if', i)
				c1 = self.match_close(i + 1)
				s.cond = (i + 1, c1)
				s.then, j = self.sub_stmt(s, c1 + 1)
				if j <= self.hi and self.toks[j].t == 'else' and self.toks[j].k == 'id':
					s.els, j = self.sub_stmt(s, j + 1)
				s.t1 = j - 1
				return s, j
			if t in ('for', 'while', 'switch'):
				s = Stmt(t, i)
				c1 = self.match_close(i + 1)
				s.cond = (i + 1, c1)
				s.sub, j = self.sub_stmt(s, c1 + 1)
				s.t1 = j - 1
				return s, j
			if t == 'do':
				s = Stmt('do', i)
				s.sub, j = self.sub_stmt(s, i + 1)
				if self.t(j).t != 'while':
					raise ParseError('do without while at %r' % tk)
				c1 = self.match_close(j + 1)
				s.cond = (j + 1, c1)
				if self.t(c1 + 1).t != ';':
					raise ParseError('do-while without ;')
				s.t1 = c1 + 1
				return s, c1 + 2
			if t in ('case', 'default'):
				j = i + 1
				depth = 0
				while True:
					x = self.t(j)
					if x.t in ('(', '['):
						depth += 1
					elif x.t in (')', ']'):
						depth -= 1
					elif x.t == '?':
						depth += 1
					elif x.t == ':' and depth == 0:
						break
					elif x.t == ':' and depth > 0:
						depth -= 1
					j += 1
				s = Stmt('case', i, j)
				if not in_block:
					s.sub, j2 = self.sub_stmt(s, j + 1)
					s.t1 = j2 - 1
					return s, j2
				return s, j + 1
			if t == 'return':
				e = self.end_of_expr(i + 1)
				return Stmt('return', i, e), e + 1
			if t == 'goto':
				e = self.end_of_expr(i + 1)
				s = Stmt('goto', i, e)
				s.name = self.t(i + 1).t
				return s, e + 1
			if t in ('break', 'continue'):
				e = self.end_of_expr(i + 1)
				return Stmt(t, i, e), e + 1
			if nx.k == 'op' and nx.t == ':' and t not in KEYWORDS:
				s = Stmt('label', i, i + 1)
				s.name = t
				if not in_block:
					s.sub, j2 = self.sub_stmt(s, i + 2)
					s.t1 = j2 - 1
					return s, j2
				return s, i + 2
			if nx.k == 'op' and nx.t == '(' and t not in KEYWORDS:
				c1 = self.match_close(i + 1)
				after = self.t(c1 + 1)
				if (after.k == 'op' and after.t == '{') or \
				   (after.k == 'id' and (after.t in KEYWORDS or
							 self.t(c1 + 2).t in ('(', '=', '->', '.', '++', '--', ';', '['))):
					# an iterator macro: list_for_each_entry(...) stmt
					if after.k == 'id' and after.t in ('const', 'volatile'):
						pass
					else:
						s = Stmt('iter', i)
						s.name = t
						s.cond = (i + 1, c1)
						s.sub, j = self.sub_stmt(s, c1 + 1)
						s.t1 = j - 1
						return s, j
		e = self.end_of_expr(i)
		kind = 'decl' if is_decl(self.toks, i, e) else 'expr'
		return Stmt(kind, i, e), e + 1


def is_decl(toks, i, e):
	t0 = toks[i]
	if t0.k != 'id':
		return False
	if t0.t in TYPE_WORDS or t0.t.startswith('__attribute'):
		return True
	if t0.t in KEYWORDS:
		return False
	# typedef name followed by a declarator: "foo_t x", "foo_t *x", "foo_t x[..]"
	j = i + 1
	while j < e and toks[j].t == '*':
		j += 1
	if j < e and toks[j].k == 'id' and toks[j].t not in KEYWORDS:
		nx = toks[j + 1] if j + 1 <= e else None
		if nx is not None and nx.t in ('=', ';', ',', '[', ')', '__free'):
			return True
		if nx is not None and nx.k == 'id':	# attributes: "foo_t x __free(kfree)"
			return True
		if nx is not None and nx.t == '(' and toks[j].t == '__free':
			return True
	# DECLARE_BITMAP(x, n); and friends: treat as declarations
	if t0.t.startswith('DECLARE_') or t0.t.startswith('DEFINE_'):
		return True
	return False


# --------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------

class Func(object):
	def __init__(self, name, h0, b0, b1, toks):
		self.name = name
		self.h0 = h0		# first token of the header
		self.b0 = b0		# '{'
		self.b1 = b1		# '}'
		self.toks = toks
		self.body = None
		self.error = None
		self.params = set()
		self.locals = {}	# name -> decl Stmt (first)
		self.nodes = []
		self.ret_type = ''

	@property
	def start_line(self):
		return self.toks[self.h0].line

	@property
	def end_line(self):
		return self.toks[self.b1].line

	def lines(self):
		"""Length as checkpatch and netdev count it: body lines."""
		return self.toks[self.b1].line - self.toks[self.b0].line + 1


def find_functions(toks):
	funcs = []
	depth = 0
	start = 0
	i = 0
	n = len(toks)
	while i < n:
		tk = toks[i]
		if tk.k == 'pp':
			if depth == 0:
				start = i + 1
			i += 1
			continue
		if tk.k != 'op':
			i += 1
			continue
		if tk.t in ('(', '['):
			depth += 1
		elif tk.t in (')', ']'):
			depth -= 1
		elif tk.t == ';' and depth == 0:
			start = i + 1
		elif tk.t == '{' and depth == 0:
			hdr = [x for x in toks[start:i] if x.k != 'pp']
			name = func_name(hdr)
			# find the matching brace
			d = 0
			j = i
			while j < n:
				if toks[j].k == 'op':
					if toks[j].t == '{':
						d += 1
					elif toks[j].t == '}':
						d -= 1
						if d == 0:
							break
				j += 1
			if j >= n:
				break
			if name:
				h0 = hdr[0].i if hdr else i
				funcs.append(Func(name, h0, i, j, toks))
			i = j + 1
			start = i
			# "struct x { } y;" : the declaration goes on to the ';'
			continue
		i += 1
	return funcs


def func_name(hdr):
	if not hdr or hdr[-1].t not in (')',) and hdr[-1].k != 'id':
		return None
	if any(x.t == '=' for x in hdr):
		return None
	if hdr[0].t in ('struct', 'union', 'enum') and not any(x.t == '(' for x in hdr):
		return None
	k = 0
	while k < len(hdr):
		x = hdr[k]
		if x.t in ('__attribute__', '__attribute') and k + 1 < len(hdr) and hdr[k + 1].t == '(':
			d = 0
			while k < len(hdr):
				if hdr[k].t == '(':
					d += 1
				elif hdr[k].t == ')':
					d -= 1
					if d == 0:
						break
				k += 1
			k += 1
			continue
		if x.t == '(':
			if k > 0 and hdr[k - 1].k == 'id' and hdr[k - 1].t not in KEYWORDS:
				return hdr[k - 1].t
			return None
		k += 1
	return None


# --------------------------------------------------------------------------
# Control flow
# --------------------------------------------------------------------------

class Node(object):
	__slots__ = ('id', 'kind', 'stmt', 'succ', 'pred', 'brk')

	def __init__(self, nid, kind, stmt):
		self.id = nid
		self.kind = kind	# stmt cond exit
		self.stmt = stmt
		self.succ = []
		self.pred = []
		self.brk = False	# the edge leaves by break/continue

	def __repr__(self):
		return 'N%d:%s:%r' % (self.id, self.kind, self.stmt)


class CFG(object):
	def __init__(self, func):
		self.func = func
		self.nodes = []
		self.exit = self.new('exit', None)
		self.labels = {}
		self.gotos = []

	def new(self, kind, stmt):
		nd = Node(len(self.nodes), kind, stmt)
		self.nodes.append(nd)
		if stmt is not None:
			stmt.nodes.append(nd)
		return nd

	def edge(self, a, b):
		a.succ.append(b)
		b.pred.append(a)

	def build(self, s, nxt, brk, cont, sw):
		"""Return the entry node of statement s, which continues at nxt."""
		k = s.kind
		if k == 'block':
			entry = nxt
			for c in reversed(s.body):
				entry = self.build(c, entry, brk, cont, sw)
			# a block's own node: where it starts
			nd = self.new('cond', s)
			self.edge(nd, entry)
			return nd
		if k == 'if':
			nd = self.new('cond', s)
			self.edge(nd, self.build(s.then, nxt, brk, cont, sw))
			self.edge(nd, self.build(s.els, nxt, brk, cont, sw) if s.els else nxt)
			return nd
		if k in ('for', 'while', 'iter'):
			nd = self.new('cond', s)
			self.edge(nd, self.build(s.sub, nd, nxt, nd, sw))
			self.edge(nd, nxt)
			return nd
		if k == 'do':
			nd = self.new('cond', s)
			body = self.build(s.sub, nd, nxt, nd, sw)
			self.edge(nd, body)
			self.edge(nd, nxt)
			return body
		if k == 'switch':
			nd = self.new('cond', s)
			cases = []
			body = self.build(s.sub, nxt, nxt, cont, cases)
			has_default = False
			for c in cases:
				self.edge(nd, c)
				if self.func.toks[c.stmt.t0].t == 'default':
					has_default = True
			if not has_default:
				self.edge(nd, nxt)
			del body
			return nd
		nd = self.new('stmt', s)
		if k == 'return':
			self.edge(nd, self.exit)
		elif k == 'goto':
			self.gotos.append(nd)
		elif k == 'break':
			if brk is None:
				raise ParseError('break outside a loop')
			nd.brk = True
			self.edge(nd, brk)
		elif k == 'continue':
			if cont is None:
				raise ParseError('continue outside a loop')
			nd.brk = True
			self.edge(nd, cont)
		elif k in ('label', 'case'):
			if k == 'label':
				self.labels[s.name] = nd
			elif sw is not None:
				sw.append(nd)
			if s.sub is not None:
				self.edge(nd, self.build(s.sub, nxt, brk, cont, sw))
			else:
				self.edge(nd, nxt)
		else:
			self.edge(nd, nxt)
		return nd

	def finish(self):
		for g in self.gotos:
			tgt = self.labels.get(g.stmt.name)
			if tgt is None:
				raise ParseError('goto to unknown label %s' % g.stmt.name)
			self.edge(g, tgt)


# --------------------------------------------------------------------------
# A parsed file
# --------------------------------------------------------------------------

class CFile(object):
	def __init__(self, path, src=None):
		self.path = path
		if src is None:
			with open(path, errors='replace') as f:
				src = f.read()
		self.src = src
		self.toks, self.comments = tokenize(src)
		self.funcs = find_functions(self.toks)
		self.by_pos = {}
		for t in self.toks:
			self.by_pos[(t.line, t.col)] = t
		self._parsed = set()
		self.lines = src.split('\n')

	def func_at(self, tok_index):
		for f in self.funcs:
			if f.b0 < tok_index < f.b1:
				return f
		return None

	def parse(self, f):
		if f in self._parsed:
			return f.error is None
		self._parsed.add(f)
		try:
			p = Parser(self.toks, f.b0, f.b1)
			f.body = p.parse_block(f.b0)
			f.body.parent = None
			f.cfg = CFG(f)
			entry = f.cfg.build(f.body, f.cfg.exit, None, None, None)
			f.cfg.entry = entry
			f.cfg.finish()
			self.collect_names(f)
		except (ParseError, RecursionError) as e:
			f.error = str(e)
			return False
		return True

	def collect_names(self, f):
		toks = self.toks
		# parameters: identifiers inside the last (...) of the header
		j = f.b0 - 1
		while j > f.h0 and toks[j].t != ')':
			j -= 1
		d = 0
		k = j
		while k > f.h0:
			if toks[k].t == ')':
				d += 1
			elif toks[k].t == '(':
				d -= 1
				if d == 0:
					break
			k -= 1
		for x in toks[k + 1:j]:
			if x.k == 'id' and x.t not in TYPE_WORDS:
				nxt = toks[x.i + 1]
				if nxt.t in (',', ')', '['):
					f.params.add(x.t)
		f.ret_type = ' '.join(x.t for x in toks[f.h0:k - 1])
		for s in f.body.walk():
			if s.kind == 'decl':
				for name, _ in decl_names(toks, s):
					f.locals.setdefault(name, s)

	def text(self, i0, i1):
		return self.src[self.toks[i0].off:self.toks[i1].end]

	def tokstr(self, i0, i1):
		return ' '.join(t.t for t in self.toks[i0:i1 + 1])

	def has_comment(self, i0, i1):
		a = self.toks[i0].off
		b = self.toks[i1].end
		return any(a <= c0 < b for c0, _, _ in self.comments)


def decl_names(toks, s):
	"""(name, token) for each declarator of a declaration statement."""
	out = []
	i = s.t0
	e = s.t1
	d = 0
	prev = None
	k = i
	# skip a leading DECLARE_FOO(name, ...)
	if toks[i].t.startswith(('DECLARE_', 'DEFINE_')) and toks[i + 1].t == '(':
		if toks[i + 2].k == 'id':
			return [(toks[i + 2].t, toks[i + 2])]
		return []
	while k <= e:
		x = toks[k]
		if x.t in ('(', '['):
			if x.t == '(' and prev is not None and prev.t in ('__free', '__attribute__', '__aligned', '__cleanup'):
				pass
			d += 1
		elif x.t in (')', ']'):
			d -= 1
		elif d == 0 and x.t in (',', ';', '='):
			if prev is not None and prev.k == 'id' and prev.t not in TYPE_WORDS:
				out.append((prev.t, prev))
			elif prev is not None and prev.t in (')', ']'):
				# x[N] or x __free(f) or x __attribute__((..))
				back = k - 1
				dd = 0
				while back > i:
					if toks[back].t in (')', ']'):
						dd += 1
					elif toks[back].t in ('(', '['):
						dd -= 1
						if dd == 0 and toks[back - 1].k == 'id':
							nm = toks[back - 1]
							if nm.t in ('__free', '__attribute__', '__aligned', '__cleanup', '__counted_by'):
								back -= 1
								continue
							if toks[back].t == '[':
								out.append((nm.t, nm))
								break
							if toks[back].t == '(' and toks[back - 1].t not in TYPE_WORDS:
								# function pointer "(*x)(...)" or a macro
								break
					back -= 1
					if dd == 0 and toks[back].k == 'id' and toks[back + 1].t not in ('(', '['):
						out.append((toks[back].t, toks[back]))
						break
			if x.t == '=':
				# skip the initializer
				dd = 0
				while k <= e:
					y = toks[k]
					if y.t in ('(', '[', '{'):
						dd += 1
					elif y.t in (')', ']', '}'):
						dd -= 1
					elif dd == 0 and y.t in (',', ';'):
						break
					k += 1
				prev = toks[k]
				if toks[k].t == ';':
					break
				k += 1
				prev = toks[k - 1]
				continue
		prev = x
		k += 1
	return out


_cache = {}


def cfile(path):
	f = _cache.get(path)
	if f is None:
		if len(_cache) > 4:
			_cache.clear()
		f = CFile(path)
		_cache[path] = f
	return f


# --------------------------------------------------------------------------
# Expression helpers
# --------------------------------------------------------------------------

PURE_CALLS = set('''ERR_PTR PTR_ERR ERR_CAST IS_ERR IS_ERR_OR_NULL
PTR_ERR_OR_ZERO min max min_t max_t clamp clamp_t abs BIT BIT_ULL
GENMASK GENMASK_ULL ARRAY_SIZE sizeof likely unlikely'''.split())


def is_trivial_expr(cf, f, i0, i1):
	"""An expression that reads only locals, parameters and constants, and
	calls nothing: moving it into or out of a critical section changes
	nothing."""
	toks = cf.toks
	k = i0
	while k <= i1:
		x = toks[k]
		if x.t == '&' and k + 3 <= i1 + 1 and toks[k + 1].k == 'id' and \
		   (toks[k + 1].t in f.locals or toks[k + 1].t in f.params) and \
		   toks[k + 2].t == '->' and toks[k + 3].k == 'id' and \
		   (k == i0 or toks[k - 1].t in ('(', ',', '?', ':', '=', 'return')):
			# &p->member: address arithmetic on a local pointer
			k += 4
			while k + 1 <= i1 and toks[k].t == '.' and toks[k + 1].k == 'id':
				k += 2
			if k <= i1 and toks[k].t in ('->', '[', '.'):
				return False
			continue
		if x.k == 'id':
			nx = toks[k + 1] if k + 1 <= i1 else None
			if nx is not None and nx.t == '(':
				if x.t not in PURE_CALLS:
					return False
			elif x.t in ('true', 'false', 'NULL'):
				pass
			elif x.t in f.locals or x.t in f.params:
				pass
			elif re.match(r'^[A-Z][A-Z0-9_]*$', x.t):
				pass		# a constant
			elif x.t in ('sizeof', 'int', 'long', 'unsigned', 'ssize_t', 'size_t', 'u32', 'u64', 'void'):
				pass
			else:
				return False
		elif x.k == 'op':
			if x.t in ('->', '.', '[', ']', '=', '++', '--', '+=', '-=', '*=',
				   '/=', '|=', '&=', '^=', '<<=', '>>=', '%=', '{', '}'):
				return False
			if x.t == '*':
				# multiplication only: after an operand
				p = toks[k - 1] if k > i0 else None
				if p is None or not (p.k in ('id', 'num') or p.t == ')'):
					return False
			if x.t == '&':
				p = toks[k - 1] if k > i0 else None
				if p is None or not (p.k in ('id', 'num') or p.t == ')'):
					return False
		elif x.k in ('str', 'pp'):
			return False
		k += 1
	return True


def local_assign(cf, f, s):
	"""s is 'x = trivial;' to a local: returns x, else None."""
	toks = cf.toks
	if s.kind != 'expr':
		return None
	a = toks[s.t0]
	if a.k != 'id' or toks[s.t0 + 1].t != '=':
		return None
	if a.t not in f.locals:
		return None
	return a.t


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
	p = Parser(toks, s.t0, s.t1)
	try:
		c = p.match_close(s.t0 + 1)
	except ParseError:
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
			if Parser(toks, i0, i1).match_close(i0 + 1) != i1:
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

	def check_guard(self, site, others):
		s = site.stmt
		B = s.parent
		f = self.f
		if B is None or B.kind != 'block':
			return False, 'the lock is taken in a conditional statement without braces'
		if B.parent is not None and B.parent.kind == 'switch':
			return False, 'a guard() in a switch body would be jumped over by its case labels'
		lo = site.head_end.idx + 1
		hi = len(B.body) - 1
		heads, first = site.entry()
		drops = []
		seen = set()
		work = [(n, True, None) for n in first]
		while work:
			nd, held, src = work.pop()
			if (nd.id, held) in seen:
				continue
			seen.add((nd.id, held))
			inside = self.node_in(nd, B, lo, hi)
			if not inside:
				if held:
					if nd.kind == 'exit':
						return False, 'returns with the lock held'
					return False, 'the lock is held past the end of its block'
				continue
			st = nd.stmt
			if nd.kind == 'cond' and st.kind == 'block':
				for x in nd.succ:
					work.append((x, held, nd))
				continue
			if held:
				if self.is_unlock(st, site):
					drops.append(st)
					for x in nd.succ:
						work.append((x, False, nd))
					continue
				if self.is_lock(st, site):
					return False, 'the lock is taken again at line %d' % self.toks[st.t0].line
				if st.kind == 'return':
					return False, 'returns with the lock held at line %d' % self.toks[st.t0].line
				for x in nd.succ:
					work.append((x, True, nd))
			else:
				if self.is_unlock(st, site):
					return False, 'unlocked twice on a path (line %d)' % self.toks[st.t0].line
				if nd.kind == 'cond' and st.kind == 'if' and self.error_check(st):
					# a test of locals: its branches are checked one by one
					for x in nd.succ:
						work.append((x, False, nd))
					continue
				if nd.kind == 'cond' and st.kind in ('if', 'switch', 'for', 'while', 'do', 'iter'):
					return False, 'code after the unlock at line %d would run under the lock' % self.toks[st.t0].line
				if not self.trivial_after_unlock(st, others):
					return False, 'code after the unlock would run under the lock: %s' % stmt_text(self.cf, st)
				for x in nd.succ:
					work.append((x, False, nd))
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
		start = heads[0]
		endnd = end.nodes[0]
		drops = []
		seen = set()
		work = [(n, True, start) for n in first]
		while work:
			nd, held, src = work.pop()
			if (nd.id, held) in seen:
				continue
			seen.add((nd.id, held))
			if nd is endnd:
				if not held:
					return False, 'unlocked before the end of the critical section'
				continue
			inside = self.node_in(nd, B, lo, hi)
			if not inside:
				if src.brk and src.stmt is not None:
					return False, '%s inside the critical section would bind to scoped_guard()' % src.stmt.kind
				if held:
					if nd.kind == 'exit':
						return False, 'returns with the lock held'
					return False, 'leaves the critical section with the lock held (line %d)' % self.toks[src.stmt.t0].line
				continue
			st = nd.stmt
			if nd.kind == 'cond' and st.kind == 'block':
				for x in nd.succ:
					work.append((x, held, nd))
				continue
			if held:
				if self.is_unlock(st, site):
					drops.append(st)
					for x in nd.succ:
						work.append((x, False, nd))
					continue
				if self.is_lock(st, site):
					return False, 'the lock is taken again'
				if st.kind == 'return':
					return False, 'returns with the lock held at line %d' % self.toks[st.t0].line
				for x in nd.succ:
					work.append((x, True, nd))
			else:
				if self.is_unlock(st, site):
					return False, 'unlocked twice on a path'
				if st.kind in ('goto', 'return', 'break', 'continue', 'label', 'empty'):
					if st.kind == 'return' and not self.trivial_after_unlock(st, None):
						return False, 'the return value after the unlock would be computed under the lock'
					for x in nd.succ:
						work.append((x, False, nd))
					continue
				if st.kind == 'expr' and self.trivial_after_unlock(st, None):
					for x in nd.succ:
						work.append((x, False, nd))
					continue
				return False, 'code after an unlock inside the critical section: %s' % stmt_text(self.cf, st)
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


# --------------------------------------------------------------------------
# Plans: what the .cocci rules apply, keyed by (line, column)
# --------------------------------------------------------------------------

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
	fn = EXCLUDE
	if not fn or not os.path.exists(fn):
		return out
	rp = os.path.realpath(path)
	for line in open(fn):
		parts = line.rstrip('\n').split('\t')
		if len(parts) >= 3 and (rp == parts[0] or rp.endswith('/' + parts[0])):
			out[parts[1]] = parts[2]
	return out


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
	for name, dstmt in f.locals.items():
		if name in keep:
			continue
		uses = [k for k in used_after.get(name, [])]
		decl_toks = set(span(dstmt))
		real = [k for k in uses if k not in decl_toks]
		before = [k for k in range(f.b0, f.b1) if toks[k].k == 'id' and toks[k].t == name and k not in decl_toks]
		if not before:
			continue	# unused before us: not our business
		if real:
			# set but never read?
			reads = [k for k in real if k < 0 or not is_write(toks, k)]
			if not reads:
				return fail_all(sites, plan, f, 'variable %s would be set but not used' % name)
			continue
		# only the declaration is left
		nms = decl_names(toks, dstmt)
		for nm, tk in nms:
			if nm == name:
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
				c = Parser(toks, s.t0, s.t1).match_close(s.t0 + 3)
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
						c = Parser(toks, s.t0, s.t1).match_close(tk.i + 3)
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
			d = 0
			j = i + 2
			while j < len(toks):
				if toks[j].t == '{':
					d += 1
				elif toks[j].t == '}':
					d -= 1
					if d == 0:
						break
				j += 1
			if j < len(toks) and toks[j + 1].t in (';',) and not cf.func_at(i):
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
						c = Parser(toks, k, f.b1).match_close(k + 1)
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
		for nm, dstmt in list(f.locals.items()):
			txt = [x.t for x in toks[dstmt.t0:dstmt.t1]]
			if txt[:2] == ['struct', sn]:
				typed.add(nm)
		hdr = [x.t for x in toks[f.h0:f.b0]]
		for i in range(len(hdr) - 3):
			if hdr[i] == 'struct' and hdr[i + 1] == sn and hdr[i + 2] == '*':
				typed.add(hdr[i + 3])
		window = dma_window(cf, f, cpu, hnd, allocs)
		for k in range(f.b0, f.b1):
			x = toks[k]
			if x.k != 'id' or x.t not in (cpu, hnd) or toks[k - 1].t not in ('->', '.'):
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
			return False, 'the CPU uses the buffer in %s() where the device may already have its address (line %d): convert to the accessors by hand' % (f.name, x.line), []
	edits.append((ctok, 'dfield', None))
	edits.append((h_f[2], 'dhfield', None))
	# every allocation must have its error check
	for f, k in allocs:
		if not any(kind == 'derr' and f.b0 < t.i < f.b1 for t, kind, _ in edits):
			return False, 'no "if (!...)" check right after the allocation in %s()' % f.name, []
	return True, '', edits


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
	end = Parser(cf.toks, c, len(cf.toks) - 1).match_close(c + 1)
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
