"""Pages of the monthly cycle: the money page of a case (case_money), payment runs (runs), bank
returns, reissues and reconciliation (returns)."""
