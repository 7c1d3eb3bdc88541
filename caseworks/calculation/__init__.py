"""The Django side of the rules package (`rules/`, OpenFisca), with no models: calling it
(`engine`), its labels and citations in English and French (`labels`) and its explanations as
lines for pages and letters (`explanations`). It sits just above `core` in the app order, so
every app that shows or asks for a calculation (applications' pre-screen, eligibility's
decisions, payments' runs) can use it; the stored determinations stay in `eligibility`."""
