// SPDX-License-Identifier: GPL-2.0
/// A goto that jumps into the scope of a cleanup variable past its
/// declaration: guard(), CLASS(), or a variable declared with __free() or
/// __cleanup(), between the goto and its label, in a block that also holds
/// the label.
///
/// The cleanup still runs when the scope is left, on a lock that was never
/// taken or a pointer that was never initialized.  clang rejects such a
/// jump ("jump bypasses initialization of variable with
/// __attribute__((cleanup))"); gcc accepts it silently.  Move the
/// declaration up, into a block of its own (scoped_guard()), or make the
/// goto a return.
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: goto, guard, CLASS, __free, cleanup

virtual context
virtual org
virtual report

@initialize:python@
@@
# (file, function) -> [(start, what)] cleanup declarations
decls = {}
# (file, function) -> {label: start}
labels = {}
# (file, function) -> [(start, end)] blocks
blocks = {}
# (file, line, column) -> message
found = {}

def _pos(l):
	return (int(l.line), int(l.column))

def _fn(l):
	return (l.file, l.current_element)

def _fnspan(l):
	return ((int(l.current_element_line), int(l.current_element_column)),
		(int(l.current_element_line_end), int(l.current_element_column_end)))

def add_decl(p, what):
	l = p[0]
	decls.setdefault(_fn(l), []).append((_pos(l), what))

def add_stmt(p, s):
	l = p[0]
	t = s.split()
	if t and t[0] == '{':
		blocks.setdefault(_fn(l), []).append(
			(_pos(l), (int(l.line_end), int(l.column_end))))
	elif len(t) > 1 and t[1] == ':' and t[0] != 'default':
		labels.setdefault(_fn(l), {}).setdefault(t[0], _pos(l))

def scope_end(l, at):
	"""End of the innermost block around at in the function of l."""
	around = [b for b in blocks.get(_fn(l), []) if b[0] < at < b[1]]
	if around:
		return max(around)[1]
	return _fnspan(l)[1]

def bypasses(p, lbl):
	l = p[0]
	g = _pos(l)
	to = labels.get(_fn(l), {}).get(lbl)
	if to is None:
		return False
	over = []
	for d, what in decls.get(_fn(l), []):
		end = scope_end(l, d)
		if d < to < end and not (d < g < end):
			over.append('%s at line %d' % (what, d[0]))
	if not over:
		return False
	found[(l.file,) + g] = ('goto %s jumps past %s into its scope: the cleanup would run uninitialized'
				% (lbl, ', '.join(over)))
	return True

def msg(p):
	l = p[0]
	return found[(l.file,) + _pos(l)]

@gd@
position p;
@@
guard@p(...)(...);

@script:python@
p << gd.p;
@@
add_decl(p, 'guard()')

@cls@
position p;
@@
CLASS@p(...)(...);

@script:python@
p << cls.p;
@@
add_decl(p, 'CLASS()')

@fr@
type T;
identifier x;
expression E;
position p;
attribute name __free, __cleanup;
@@
(
T x@p __free(...) = E;
|
T x@p __free(...);
|
T x@p __cleanup(...) = E;
|
T x@p __cleanup(...);
)

@script:python@
p << fr.p;
x << fr.x;
@@
add_decl(p, 'variable ' + x)

@st@
statement S;
position p;
@@
S@p

@script:python@
p << st.p;
S << st.S;
@@
add_stmt(p, S)

@ctx depends on context@
identifier l;
position p : script:python(l) { bypasses(p, l) };
@@
* goto@p l;

@bad depends on org || report@
identifier l;
position p : script:python(l) { bypasses(p, l) };
@@
goto@p l;

@script:python depends on org@
p << bad.p;
@@
coccilib.org.print_todo(p[0], msg(p))

@script:python depends on report@
p << bad.p;
@@
coccilib.report.print_report(p[0], msg(p))
