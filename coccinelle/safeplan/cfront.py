# SPDX-License-Identifier: GPL-2.0
"""
safeplan.cfront - a small C front end: a tokenizer, a statement parser and
a control-flow graph per function, enough to prove properties of every path
through a driver function.  It parses what the kernel's C looks like
without preprocessing: macros are calls, iterators (list_for_each_entry(),
scoped_guard()) are loops, and a function it cannot parse is left alone.

	toks, comments = tokenize(src)
	cf = CFile(path)		# tokens and functions
	cf.parse(f)			# f.body (Stmt tree), f.cfg (CFG)
"""

import re

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


_PAIRS = {'(': ')', '[': ']', '{': '}'}


def match_close(toks, i, hi=None):
	"""toks[i] is ( [ or {: the index of its partner, up to toks[hi] (the
	last token by default); ParseError if the brackets do not balance."""
	stack = []
	hi = len(toks) - 1 if hi is None else hi
	for j in range(i, hi + 1):
		t = toks[j].t
		if toks[j].k != 'op':
			continue
		if t in _PAIRS:
			stack.append(_PAIRS[t])
		elif t in (')', ']', '}'):
			if not stack or stack.pop() != t:
				raise ParseError('unbalanced %s at %r' % (t, toks[j]))
			if not stack:
				return j
	raise ParseError('unclosed')


def close_or_none(toks, i, hi=None):
	"""match_close(), or None where the brackets do not balance."""
	try:
		return match_close(toks, i, hi)
	except ParseError:
		return None


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
		return match_close(self.toks, i, self.hi)

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
			end = close_or_none(hdr, k + 1)
			k = len(hdr) if end is None else end + 1
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
