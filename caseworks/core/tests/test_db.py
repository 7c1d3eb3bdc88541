"""The primary/replica router (caseworks/core/db.py); tests/test_replica.py runs it against a
real streaming replica."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.test.utils import CaptureQueriesContext

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import BenefitUnit
from caseworks.core.db import (
    REPLICA_DB_ALIAS,
    PrimaryReplicaRouter,
    reads_use_replica,
    replica_database,
    use_replica,
)
from caseworks.core.models import AuditEvent
from caseworks.reporting.reports import dashboard_report
from caseworks.reporting.tests.dataset import AS_OF, PERIOD

from .replica import replica_alias

router = PrimaryReplicaRouter()


def test_reads_use_primary_when_no_replica_configured() -> None:
    with use_replica():
        assert not reads_use_replica()
        assert BenefitUnit.objects.all().db == DEFAULT_DB_ALIAS
        assert router.db_for_read(BenefitUnit) == DEFAULT_DB_ALIAS
    assert router.db_for_write(BenefitUnit) == DEFAULT_DB_ALIAS


def test_reads_use_replica_only_in_use_replica_block_when_configured() -> None:
    with replica_alias(PORT="1"):  # never connected: only the routing is checked
        assert BenefitUnit.objects.all().db == DEFAULT_DB_ALIAS
        with use_replica():
            assert BenefitUnit.objects.all().db == REPLICA_DB_ALIAS
            assert router.db_for_write(AuditEvent) == DEFAULT_DB_ALIAS
            with use_replica():
                assert reads_use_replica()
            assert reads_use_replica()  # the inner block restores, not clears
        assert BenefitUnit.objects.all().db == DEFAULT_DB_ALIAS

        @use_replica()
        def read_db() -> str:
            return BenefitUnit.objects.all().db

        assert read_db() == REPLICA_DB_ALIAS
        assert not reads_use_replica()


@pytest.mark.django_db
def test_reads_in_a_primary_transaction_stay_on_primary_when_replica_configured() -> None:
    # pytest-django runs this test in a transaction: a service that writes and reads back sees
    # its own rows, never the replica's.
    with replica_alias(PORT="1"), use_replica():
        assert connection.in_atomic_block
        assert BenefitUnit.objects.all().db == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert not reads_use_replica()


def test_migrations_run_on_primary_only() -> None:
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases")
    assert not router.allow_migrate(REPLICA_DB_ALIAS, "cases")


def test_replica_settings_keep_primary_connection_options() -> None:
    primary: dict[str, Any] = {
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"pool": {"max_size": 8}, "sslmode": "prefer"},
    }
    replica = replica_database(primary, "postgres://reader@10.0.0.2:5433/caseworks?sslmode=require")
    assert replica["HOST"] == "10.0.0.2"
    assert replica["PORT"] == 5433
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"] == {"pool": {"max_size": 8}, "sslmode": "require"}


@pytest.mark.django_db(transaction=True)
def test_reports_read_primary_when_no_replica_configured() -> None:
    analyst = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)
    with CaptureQueriesContext(connection) as queries:
        dashboard_report(user=analyst, filters=PERIOD, as_of=AS_OF)
    assert any("cases_benefitunit" in q["sql"] for q in queries)
