#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
fixup.py - put right what spatch 1.1.1 gets wrong in layout.

	fixup.py ORIGINAL REWRITTEN	# rewrites REWRITTEN in place

When a semantic patch moves statements into a new block
("+ scoped_guard(...) {" ... "+ }"), spatch 1.1.1 re-indents them, but
after a nested block whose last statement is a jump ("if (x) break;")
it indents the rest of the block one level too deep or too shallow.  The
tokens are right; the layout misleads.

This fixer only looks at the lines inside blocks the rewrite created
(a "scoped_guard(...) {" line that is not in the original): each line
that also exists in the original becomes that original line with one tab
more per created block around it (so comment stars and continuation
alignment survive), and blank lines right after the new "{" or before
its "}" go (checkpatch --strict asks for that).  A declaration the
rewrite retyped ("void *buf;  /* ... */" to "struct safe_dma_buf *buf;")
has its trailing comment put back at the original comment's column, or
one tab after the code where that no longer fits.  Everything else is left
as spatch wrote it, so on correct output it changes nothing, and running
it twice changes nothing.
"""

import difflib
import re
import sys

OPEN = re.compile(r'^(\s*)(scoped_guard|scoped_cond_guard)\s*\(.*\)\s*\{\s*$')


TRAIL = re.compile(r'^(\s+\S[^/]*;)(\s+)(/\*.*\*/)\s*$')
DECL = re.compile(r'^(\s*)(\S.*__free\(\w+\)) = (\w+\(.*)$')


def paren_depth(line):
	"""Open minus closed parentheses outside strings."""
	line = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', '""', line)
	return line.count('(') - line.count(')')


def width(line):
	return len(line.expandtabs(8))


def split_top(args):
	"""Split a call's argument text at its top-level commas."""
	out, depth, cur = [], 0, ''
	for c in args:
		if c in '([{':
			depth += 1
		elif c in ')]}':
			depth -= 1
		if c == ',' and depth == 0:
			out.append(cur.strip())
			cur = ''
		else:
			cur += c
	out.append(cur.strip())
	return out


def wrap_call(indent, call):
	"""indent + "fn(a, b, c);" over several lines, the arguments aligned
	after the parenthesis, each line within 80 columns; None if it
	cannot be done."""
	m = re.match(r'^(\w+\()(.*)\);$', call)
	if not m or paren_depth(m.group(2)) != 0:
		return None
	args = split_top(m.group(2))
	col = width(indent + m.group(1))
	cont = '\t' * (col // 8) + ' ' * (col % 8)
	lines, cur = [], indent + m.group(1)
	for k, a in enumerate(args):
		piece = a + (', ' if k < len(args) - 1 else ');')
		if cur.strip() and not cur.endswith('(') and width(cur + piece.rstrip()) > 80:
			lines.append(cur.rstrip())
			cur = cont
		cur += piece
	lines.append(cur.rstrip())
	if any(width(x) > 80 for x in lines):
		return None
	return '\n'.join(lines)


def indent_of(line):
	return line[:len(line) - len(line.lstrip(' \t'))]


def block_end(lines, i):
	"""Index of the line with the brace closing the block opened on line i."""
	depth = 0
	in_comment = False
	for j in range(i, len(lines)):
		s = lines[j]
		k = 0
		while k < len(s):
			if in_comment:
				e = s.find('*/', k)
				if e < 0:
					break
				in_comment = False
				k = e + 2
				continue
			c = s[k]
			if s.startswith('/*', k):
				in_comment = True
				k += 2
				continue
			if s.startswith('//', k):
				break
			if c in '"\'':
				q = c
				k += 1
				while k < len(s) and s[k] != q:
					k += 2 if s[k] == '\\' else 1
			elif c == '{':
				depth += 1
			elif c == '}':
				depth -= 1
				if depth == 0:
					return j
			k += 1
	return None


def fix(orig, new):
	olines = orig.split('\n')
	nlines = new.split('\n')
	ostrip = [x.strip() for x in olines]
	nstrip = [x.strip() for x in nlines]
	sm = difflib.SequenceMatcher(None, ostrip, nstrip, autojunk=False)
	match = {}
	for a, b, n in sm.get_matching_blocks():
		for k in range(n):
			match[b + k] = a + k
	# created blocks: opening lines that do not exist in the original
	depth = [0] * len(nlines)
	for i, line in enumerate(nlines):
		if not OPEN.match(line) or i in match:
			continue
		j = block_end(nlines, i)
		if j is None:
			continue
		for k in range(i + 1, j):
			depth[k] += 1
	out = []
	drop = set()
	for i, line in enumerate(nlines):
		if depth[i] and i in match and line.strip():
			# the original line, whole, one tab deeper per new block:
			# comment stars and continuation alignment stay right
			line = '\t' * depth[i] + olines[match[i]]
		out.append(line)
	# no blank line just inside a created block's braces (checkpatch)
	for i, line in enumerate(nlines):
		if not OPEN.match(line) or i in match:
			continue
		j = block_end(nlines, i)
		if j is None:
			continue
		# its closing brace lines up with the opening line (spatch
		# puts it in column 0 after a label it deleted)
		if nlines[j].strip() == '}':
			out[j] = indent_of(nlines[i]) + '}'
		k = i + 1
		while k < j and not out[k].strip():
			drop.add(k)
			k += 1
		k = j - 1
		while k > i and not out[k].strip():
			drop.add(k)
			k -= 1
	# a declaration spatch wrapped at its parentheses,
	#	T *x __free(f) = alloc(a,
	#			       b);
	# reads better broken after the "=" when that fits 80 columns
	for i, line in enumerate(nlines):
		m = DECL.match(out[i])
		if not m or i in match or i in drop or paren_depth(line) <= 0:
			continue
		parts = [m.group(3)]
		j = i + 1
		depth = paren_depth(line)
		while j < len(nlines) and depth > 0:
			parts.append(nlines[j].strip())
			depth += paren_depth(nlines[j])
			j += 1
		if depth != 0:
			continue
		call = re.sub(r'\(\s+', '(', ' '.join(parts))
		first = m.group(1) + m.group(2) + ' ='
		second = m.group(1) + '\t' + call
		if width(first) > 80:
			continue
		if width(second) > 80:
			second = wrap_call(m.group(1) + '\t', call)
			if second is None:
				continue
		out[i] = first + '\n' + second
		drop.update(range(i + 1, j))
	# a declaration the rule retyped keeps its comment's column where it
	# still fits, else the comment follows one tab after it (spatch
	# keeps the old padding, which then overshoots)
	cols = {}
	for line in olines:
		m = TRAIL.match(line)
		if m:
			cols.setdefault(m.group(3), width(m.group(1) + m.group(2)))
	for i, line in enumerate(nlines):
		m = TRAIL.match(out[i])
		if not m or i in match or i in drop or m.group(3) not in cols:
			continue
		code, col = m.group(1), cols[m.group(3)]
		pad = '\t'
		while col % 8 == 0 and width(code + pad) < col:
			pad += '\t'
		out[i] = code + pad + m.group(3)
	# a statement spatch deleted can leave its indentation behind: a
	# line of blanks that is not in the original goes
	for i, line in enumerate(nlines):
		if line and not line.strip() and i not in match:
			drop.add(i)
	return '\n'.join(x for i, x in enumerate(out) if i not in drop)


def main(argv):
	if len(argv) != 3:
		sys.stderr.write(__doc__)
		return 2
	with open(argv[1]) as f:
		orig = f.read()
	with open(argv[2]) as f:
		new = f.read()
	fixed = fix(orig, new)
	if fixed != new:
		with open(argv[2], 'w') as f:
			f.write(fixed)
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv))
