# SPDX-License-Identifier: GPL-2.0
"""
safeplan - the planner behind safe's semantic patches, one module per part:

	profile	the policy (coccinelle/profiles/)
	cfront	the C front end: tokenizer, parser, control-flow graph
	plan	plans and the edits every rule family shares
	locks	guard(), scoped_guard(), scoped_cond_guard(), ACQUIRE()
	free	__free() and devm_*() allocations
	dma	struct safe_dma_buf

coccinelle/safecocci.py is the entry point the rules import.
"""
