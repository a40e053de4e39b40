# SPDX-License-Identifier: GPL-2.0
"""
safeplan.profile - the policy a rule runs with: coccinelle/profiles/*.profile
files, each key a choice a maintainer of a subsystem would make.
"""

import os

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
	return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'profiles')


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
		with open(path) as fh:
			text = fh.read()
		for line in text.split('\n'):
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
