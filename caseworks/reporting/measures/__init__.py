"""The measure registry and the queries behind it, one module per family of measures.

`registry` lists every measure (docs/measures.md) and how figures depend on one another for
suppression; `base` holds the filters, dates and case querysets they share; `scope` the grouping;
`caseload`, `intake`, `employment`, `overpayments` and `reviews` each compute the parts of their
measures. `caseworks.reporting.selectors.compute_measures` runs them all.
"""
