# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the planner's C front end (coccinelle/safeplan/cfront.py):
tokenizer, statement parser, control-flow graph."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'coccinelle'))
from safeplan import cfront  # noqa: E402


def texts(toks):
	return [t.t for t in toks]


def parsed(src, name=None):
	"""CFile of src, and its function name (default: the first) parsed."""
	cf = cfront.CFile('t.c', src)
	f = cf.funcs[0] if name is None else [x for x in cf.funcs if x.name == name][0]
	ok = cf.parse(f)
	return cf, f, ok


def stmt_at(f, kind, n=0):
	return [s for s in f.body.walk() if s.kind == kind][n]


class Tokenizer(unittest.TestCase):
	def test_kinds_and_operators(self):
		toks, _ = cfront.tokenize('p->a <<= 0x1fUL; s = "a\\"b"; c = \'\\n\'; f(a, ...);')
		self.assertEqual(texts(toks), ['p', '->', 'a', '<<=', '0x1fUL', ';', 's', '=', '"a\\"b"', ';',
					       'c', '=', "'\\n'", ';', 'f', '(', 'a', ',', '...', ')', ';'])
		self.assertEqual([t.k for t in toks[:5]], ['id', 'op', 'id', 'op', 'num'])
		self.assertEqual(toks[8].k, 'str')
		self.assertEqual(toks[12].k, 'chr')

	def test_positions_as_spatch(self):
		toks, _ = cfront.tokenize('int a;\n\tmutex_lock(&x);\n')
		lk = [t for t in toks if t.t == 'mutex_lock'][0]
		self.assertEqual((lk.line, lk.col), (2, 1))	# 1-based line, 0-based column
		self.assertEqual([t.i for t in toks], list(range(len(toks))))

	def test_comments_apart(self):
		toks, comments = cfront.tokenize('a /* x\n y */ b // z\nc')
		self.assertEqual(texts(toks), ['a', 'b', 'c'])
		self.assertEqual(len(comments), 2)
		self.assertEqual([t.line for t in toks], [1, 2, 3])

	def test_preprocessor_line_is_one_token(self):
		toks, _ = cfront.tokenize('#define A(x) \\\n\t(x + 1)\nint b;')
		self.assertEqual(toks[0].k, 'pp')
		self.assertEqual(texts(toks[1:]), ['int', 'b', ';'])
		self.assertEqual(toks[1].line, 3)

	def test_float_number(self):
		toks, _ = cfront.tokenize('x = 1.5e-3;')
		self.assertEqual(texts(toks), ['x', '=', '1.5e-3', ';'])


class Parser(unittest.TestCase):
	def test_functions_found_by_name(self):
		cf = cfront.CFile('t.c', 'static int a(void) { return 0; }\nstruct s { int x; };\n'
				  'void *b(int x) { return 0; }\n')
		self.assertEqual([f.name for f in cf.funcs], ['a', 'b'])

	def test_statement_kinds(self):
		cf, f, ok = parsed('''int f(struct d *d, int n)
{
	int i, ret = 0;

	for (i = 0; i < n; i++) {
		if (d->a[i])
			continue;
		else
			break;
	}
	while (n--)
		d->b++;
	do {
		ret++;
	} while (ret < 3);
	switch (n) {
	case 1:
		ret = 2;
		break;
	default:
		goto out;
	}
	list_for_each_entry(p, &d->list, node)
		p->x = 0;
out:
	return ret;
}
''')
		self.assertTrue(ok, f.error)
		kinds = [s.kind for s in f.body.body]
		# a label is a statement of its own in its block
		self.assertEqual(kinds, ['decl', 'for', 'while', 'do', 'switch', 'iter', 'label', 'return'])
		self.assertEqual(set(['i', 'ret']), set(f.locals))
		self.assertEqual(set(['d', 'n']), f.params)
		lab = f.body.body[-2]
		self.assertEqual(lab.name, 'out')
		self.assertIs(f.cfg.labels['out'].succ[0], f.body.body[-1].nodes[0])
		ifs = stmt_at(f, 'if')
		self.assertEqual((ifs.then.kind, ifs.els.kind), ('continue', 'break'))

	def test_parents_and_indices(self):
		cf, f, ok = parsed('void f(void)\n{\n\ta();\n\tif (x) {\n\t\tb();\n\t\tc();\n\t}\n}\n')
		self.assertTrue(ok)
		blk = stmt_at(f, 'if').then
		self.assertEqual([s.idx for s in blk.body], [0, 1])
		self.assertIs(blk.body[1].parent, blk)
		self.assertIs(f.body.body[0].parent, f.body)

	def test_unbalanced_is_an_error(self):
		cf = cfront.CFile('t.c', 'void f(void)\n{\n\tif (x {\n\t}\n}\n')
		ok = cf.parse(cf.funcs[0]) if cf.funcs else False
		self.assertFalse(ok)

	def test_goto_to_unknown_label_is_an_error(self):
		cf, f, ok = parsed('void f(void)\n{\n\tgoto nowhere;\n}\n')
		self.assertFalse(ok)
		self.assertIn('nowhere', f.error)

	def test_decl_names(self):
		cf, f, ok = parsed('void f(void)\n{\n\tstruct a *p = NULL, q[4];\n\tunsigned long flags;\n}\n')
		self.assertTrue(ok)
		d0, d1 = f.body.body
		self.assertEqual([n for n, _ in cfront.decl_names(cf.toks, d0)], ['p', 'q'])
		self.assertEqual([n for n, _ in cfront.decl_names(cf.toks, d1)], ['flags'])


class ControlFlow(unittest.TestCase):
	def succ_stmts(self, nd):
		return [x.stmt.kind if x.stmt is not None else x.kind for x in nd.succ]

	def test_if_without_else_falls_through(self):
		cf, f, ok = parsed('int f(int x)\n{\n\tif (x)\n\t\treturn 1;\n\ta();\n\treturn 0;\n}\n')
		self.assertTrue(ok)
		ifs = f.body.body[0]
		self.assertEqual(self.succ_stmts(ifs.nodes[0]), ['return', 'expr'])
		ret = ifs.then
		self.assertIs(ret.nodes[0].succ[0], f.cfg.exit)

	def test_goto_reaches_its_label(self):
		cf, f, ok = parsed('void f(int x)\n{\n\tif (x)\n\t\tgoto out;\n\ta();\nout:\n\tb();\n}\n')
		self.assertTrue(ok)
		g = [nd for nd in f.cfg.gotos][0]
		self.assertIs(g.succ[0], f.cfg.labels['out'])

	def test_break_and_continue(self):
		cf, f, ok = parsed('void f(int n)\n{\n\twhile (n) {\n\t\tif (a())\n\t\t\tbreak;\n'
				   '\t\tif (b())\n\t\t\tcontinue;\n\t\tn--;\n\t}\n\tc();\n}\n')
		self.assertTrue(ok)
		loop = f.body.body[0]
		after = f.body.body[1]
		brk = stmt_at(f, 'break')
		cont = stmt_at(f, 'continue')
		self.assertIs(brk.nodes[0].succ[0], after.nodes[0])
		self.assertTrue(brk.nodes[0].brk)
		self.assertIs(cont.nodes[0].succ[0], loop.nodes[0])

	def test_switch_edges_to_each_case(self):
		cf, f, ok = parsed('void f(int n)\n{\n\tswitch (n) {\n\tcase 1:\n\t\ta();\n\t\tbreak;\n'
				   '\tcase 2:\n\t\tb();\n\t}\n\tc();\n}\n')
		self.assertTrue(ok)
		sw = f.body.body[0].nodes[0]
		kinds = self.succ_stmts(sw)
		self.assertEqual(kinds.count('case'), 2)
		# no default: the switch may skip every case
		self.assertIn('expr', kinds)

	def test_do_while_body_first(self):
		cf, f, ok = parsed('void f(int n)\n{\n\tdo {\n\t\tn--;\n\t} while (n);\n}\n')
		self.assertTrue(ok)
		entry = f.cfg.entry
		# the function's block, then the do's body before its test
		self.assertEqual(entry.stmt.kind, 'block')
		self.assertEqual(entry.succ[0].stmt.kind, 'block')

	def test_every_node_reaches_exit(self):
		cf, f, ok = parsed('int f(int x)\n{\n\tint r = 0;\n\n\tif (x > 2)\n\t\tgoto out;\n'
				   '\tfor (; x; x--)\n\t\tr += x;\nout:\n\treturn r;\n}\n')
		self.assertTrue(ok)
		seen = set()
		work = [f.cfg.entry]
		while work:
			nd = work.pop()
			if nd.id in seen:
				continue
			seen.add(nd.id)
			work.extend(nd.succ)
		self.assertIn(f.cfg.exit.id, seen)


if __name__ == '__main__':
	unittest.main()
