"""Caseload management stores nothing of its own: it reads cases, tasks, plans and referrals."""
