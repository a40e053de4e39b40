// SPDX-License-Identifier: GPL-2.0
/// dma_free_coherent() whose device, size or DMA handle differs from the
/// dma_alloc_coherent() of the same CPU pointer in the same file, and
/// frees that mix the managed and unmanaged forms: dma_free_coherent() of
/// a dmam_alloc_coherent() buffer (devres frees it again on unbind) and
/// dmam_free_coherent() of a dma_alloc_coherent() one.
///
/// The allocation is found by the CPU pointer: the same expression
/// (priv->ring), or else the same field through another pointer (p->ring
/// where probe wrote priv->ring, comparing the other arguments with priv
/// read as p).  A pointer held in a plain local variable is matched only
/// in the same function.  A free is reported only when no allocation of
/// its pointer agrees with it.  What cannot be compared is taken to agree:
/// a device through a pointer (dev, priv->dev) rather than &x->dev, a size
/// or handle in a plain local variable, a size in a field where the other
/// side is not one, a handle the file copies into the field the free
/// passes (pool->phys = pool->hw_addr).  struct safe_dma_buf (<linux/safe/dma.h>) records all
/// three, so the free cannot differ.
//
// Confidence: Moderate
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: dma_alloc_coherent, dma_free_coherent, dmam_alloc_coherent

virtual context
virtual org
virtual report

@initialize:python@
@@
import re

# file -> [alloc]; alloc = dict(fn, line, kind, cpu, dev, size, handle, ndev)
allocs = {}
# file -> set of CPU pointers (canon) and fields also set from elsewhere
stored = {}
# file -> set of (lhs, rhs): "lhs = rhs;" copies one path into another
copies = {}
# positions whose device argument is &N->dev, N a struct net_device *
netdev_dev = set()
# (file, line, column) -> message
found = {}

VAR = re.compile(r'^[a-z_][a-z0-9_]*$')
MACRO = re.compile(r'^[A-Z_][A-Z0-9_]*$')

SIZEOF = {}
for _n, _ts in ((1, "u8 s8 __u8 char"), (2, "u16 s16 __u16 __le16 __be16 short"),
		(4, "u32 s32 __u32 __le32 __be32 int"),
		(8, "u64 s64 __u64 __le64 __be64")):
	for _t in _ts.split():
		SIZEOF[_t] = _n
CASTS = re.compile(r'\(\s*(?:(?:const|volatile|unsigned|signed|struct|union|enum)\s+)*'
		   r'[A-Za-z_]\w*(?:\s*\*)*\s*\)\s*(?=[A-Za-z_(&])')
PAREN = re.compile(r'(?<![\w\]\)])\(((?:\w|\.|->|\[\w*\])+)\)')
PATH = re.compile(r'^[A-Za-z_]\w*(?:(?:->|\.)\w+|\[\w+\])+$')

def norm(e):
	"""e without spaces, casts, sizeof of basic types, redundant parentheses."""
	e = CASTS.sub('', e)
	e = re.sub(r'\s+', '', e)
	e = re.sub(r'sizeof\((\w+)\)', lambda m: str(SIZEOF[m.group(1)])
		   if m.group(1) in SIZEOF else m.group(0), e)
	old = None
	while old != e:
		old = e
		e = PAREN.sub(r'\1', e)
	if e.startswith('(') and e.endswith(')'):
		depth = 0
		for i, c in enumerate(e):
			depth += c == '('
			depth -= c == ')'
			if depth == 0 and i < len(e) - 1:
				break
		else:
			e = e[1:-1]
	return e

def value(e):
	"""The number e is, when it is arithmetic on literals."""
	if not re.match(r'^[\d+\-*/<>()]+$', e):
		return None
	try:
		return int(eval(e.replace('/', '//'), {'__builtins__': {}}))
	except Exception:
		return None

def split_field(e):
	"""priv->tx.ring -> ('priv->tx', 'ring'); None if not a field."""
	depth = 0
	for i in range(len(e) - 1, 0, -1):
		c = e[i]
		if c in ')]':
			depth += 1
		elif c in '([':
			depth -= 1
		elif depth == 0 and c == '.':
			return e[:i], e[i + 1:]
		elif depth == 0 and c == '>' and e[i - 1] == '-':
			return e[:i - 1], e[i + 1:]
	return None

def rebase(e, base, to):
	if base == to:
		return e
	return re.sub(r'(?<![\w>.])' + re.escape(base) + r'(?![\w\[])', to, e)

KEYWORDS = set(("sizeof struct union enum const volatile unsigned signed int "
	"char short long void bool u8 u16 u32 u64 s8 s16 s32 s64 __le16 __le32 "
	"__le64 __be16 __be32 __be64 size_t dma_addr_t phys_addr_t").split())

def canon(e):
	return e.replace('->', '.')

def roots(e):
	"""The variables e depends on: identifiers that are not members,
	calls, macros (upper case), types or keywords."""
	t = re.findall(r'->|[A-Za-z_]\w*|\S', e)
	out = set()
	for i, x in enumerate(t):
		if not re.match(r'[A-Za-z_]', x) or x in KEYWORDS or MACRO.match(x):
			continue
		if i and t[i - 1] in ('->', '.', 'struct', 'union', 'enum'):
			continue
		if i + 1 < len(t) and t[i + 1] == '(':
			continue
		out.add(x)
	return out

def same_value(a, b, same_fn):
	"""True, False, or None when the text cannot tell."""
	if canon(a) == canon(b):
		return True
	va, vb = value(a), value(b)
	if va is not None and vb is not None:
		return va == vb
	if VAR.match(a) and VAR.match(b):
		# two local variables: comparable only in one function
		return False if same_fn else None
	# different variables (size vs priv->size) may hold the same value
	ra = roots(a)
	if ra != roots(b):
		return None
	# with variables in them, only two member paths are told apart
	# (priv->tx_size, priv->rx_size), not priv->n * sizeof(x), priv->size
	if ra and not (PATH.match(a) and PATH.match(b)):
		return None
	return False

def _key(p):
	l = p[0]
	return (l.file, int(l.line), int(l.column))

def add_netdev(p):
	netdev_dev.add(_key(p))

def add_alloc(p, kind, cpu, dev, size, handle):
	l = p[0]
	allocs.setdefault(l.file, []).append(dict(
		fn=l.current_element, line=int(l.line), kind=kind, cpu=norm(cpu),
		dev=norm(dev), size=norm(size), handle=norm(handle),
		ndev=_key(p) in netdev_dev))

def copied(file, a, b):
	"""Does the file copy path a into path b or b into a?"""
	c = copies.get(file, set())
	a, b = canon(a), canon(b)
	return (a, b) in c or (b, a) in c

def compare(a, f, fn, base_a, base_f, file):
	"""What differs between alloc a and the free f, a list of strings."""
	same_fn = a['fn'] == fn
	diffs = []
	managed_a = a['kind'].startswith('dmam_')
	managed_f = f['kind'].startswith('dmam_')
	if managed_a and not managed_f:
		diffs.append('the buffer is from %s(), which devres frees again' % a['kind'])
	elif managed_f and not managed_a:
		diffs.append('the buffer is from %s(), not devres-managed' % a['kind'])
	# only the struct device of a net_device is told apart: it is never
	# the one to map DMA for; other devices may be reached many ways
	dev = rebase(a['dev'], base_a, base_f)
	if canon(dev) != canon(f['dev']) and a['ndev'] != f['ndev']:
		diffs.append('device %s%s, allocated with %s%s' % (
			f['dev'], ' (a net_device)' if f['ndev'] else '',
			a['dev'], ' (a net_device)' if a['ndev'] else ''))
	size = rebase(a['size'], base_a, base_f)
	if same_value(size, f['size'], same_fn) is False:
		diffs.append('size %s, allocated with %s' % (f['size'], a['size']))
	h = a['handle']
	if h.startswith('&'):
		h = norm(rebase(h[1:], base_a, base_f))
		if same_value(h, f['handle'], same_fn) is False and \
		   not copied(file, h, f['handle']):
			diffs.append('handle %s, allocated into %s' % (f['handle'], a['handle'][1:]))
	return diffs

def check(p, kind, dev, size, cpu, handle):
	l = p[0]
	f = dict(kind=kind, dev=norm(dev), size=norm(size), cpu=norm(cpu),
		 handle=norm(handle), ndev=_key(p) in netdev_dev)
	fn = l.current_element
	st = stored.get(l.file, set())
	if canon(f['cpu']) in st:
		return False
	# an allocation after the free in the same function is a new buffer
	# (free the old one, allocate a bigger one)
	mine = [a for a in allocs.get(l.file, [])
		if a['fn'] != fn or a['line'] < int(l.line)]
	local = VAR.match(f['cpu'])
	cands = [(a, '', '') for a in mine if canon(a['cpu']) == canon(f['cpu']) and
		 (not local or a['fn'] == fn)]
	if not cands:
		sf = split_field(f['cpu'])
		if sf is None or '.' + canon(sf[1]) in st:
			return False
		for a in mine:
			sa = split_field(a['cpu'])
			if sa and sa[1] == sf[1]:
				cands.append((a, sa[0], sf[0]))
	best = None
	for a, ba, bf in cands:
		d = compare(a, f, fn, ba, bf, l.file)
		if not d:
			return False
		if best is None or len(d) < len(best[1]):
			best = (a, d)
	if best is None:
		return False
	a, d = best
	found[(l.file, int(l.line), int(l.column))] = '%s() of %s differs from %s() at line %d: %s' % (
		kind, f['cpu'], a['kind'], a['line'], '; '.join(d))
	return True

def add_store(p, e, v):
	v = norm(v)
	if PATH.match(v) and PATH.match(norm(e)):
		copies.setdefault(p[0].file, set()).add((canon(norm(e)), canon(v)))
	if v in ('NULL', '0') or re.match(r'^dmam?_(z?alloc)_coherent\(', v):
		return
	e = canon(norm(e))
	st = stored.setdefault(p[0].file, set())
	st.add(e)
	sf = split_field(e)
	if sf:
		st.add('.' + sf[1])

def msg(p):
	return found[_key(p)]

@nd@
identifier fn = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent,
	dma_free_coherent, dmam_free_coherent};
struct net_device *N;
position p;
@@
fn@p(&N->dev, ...)

@script:python@
p << nd.p;
@@
add_netdev(p)

@al@
identifier alloc = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent};
expression E, D, S, H, G;
position p;
@@
E = alloc@p(D, S, H, G)

@script:python@
p << al.p;
alloc << al.alloc;
E << al.E;
D << al.D;
S << al.S;
H << al.H;
@@
add_alloc(p, alloc, E, D, S, H)

@ald@
identifier alloc = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent};
expression D, S, H, G;
identifier x;
type T;
position p;
@@
T x = alloc@p(D, S, H, G);

@script:python@
p << ald.p;
alloc << ald.alloc;
x << ald.x;
D << ald.D;
S << ald.S;
H << ald.H;
@@
add_alloc(p, alloc, x, D, S, H)

@asg@
expression E, V;
position p;
@@
E@p = V

@script:python@
p << asg.p;
E << asg.E;
V << asg.V;
@@
add_store(p, E, V)

@fr@
identifier free = {dma_free_coherent, dmam_free_coherent};
expression D, S, C, H;
position p;
@@
free@p(D, S, C, H)

@script:python@
p << fr.p;
free << fr.free;
D << fr.D;
S << fr.S;
C << fr.C;
H << fr.H;
@@
if not check(p, free, D, S, C, H):
	cocci.include_match(False)

@ctx depends on context@
identifier fr.free;
position fr.p;
@@
* free@p(...)

@script:python depends on org@
p << fr.p;
@@
coccilib.org.print_todo(p[0], msg(p))

@script:python depends on report@
p << fr.p;
@@
coccilib.report.print_report(p[0], msg(p))
