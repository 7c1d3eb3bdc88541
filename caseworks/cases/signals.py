"""`case_transferred`: how a transfer takes the records of the apps above `cases` with it.

Why a signal: documents, applications (inquiries, appointments, applications) and other apps sit
above `cases` in the app graph, so `case_transfer` must not import them, yet their rows carry a
copied `delivery_partner` that has to move in the transfer's transaction. `case_transfer` sends
this signal synchronously, inside its transaction and only when the case changes partner; each
app that owns case-level rows connects one receiver in its `AppConfig.ready()`, and that receiver
calls a service of its own app. This is not the "domain logic in model signals" the coding style
forbids: nothing fires on `save()`; the one sender is the transfer service, and a receiver that
raises rolls the whole transfer back (`send`, never `send_robust`).

Receivers are called with keyword arguments:

- `transfer`: the `CaseTransfer` just created (`from_partner_id`, `to_partner_id`, `reason`);
- `benefit_unit`: the case, already locked and moved to the receiving partner;
- `person_ids`: the ids of its current members, already moved;
- `acting_user`: who made the transfer.

Each receiver returns a dict of counts per kind of row it moved (or cancelled), for example
`{"documents": 3}`; `case_transfer` lists them in the `case_transferred` audit event.
"""

from __future__ import annotations

from django.dispatch import Signal

case_transferred = Signal()
