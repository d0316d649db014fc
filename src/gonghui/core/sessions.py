"""Database sessions whose read is one ready statement (``core.sql``) instead of an ORM query:
every signed-in request reads its session first. Writes are Django's."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import sql

WHERE = '"django_session"."session_key" = %s AND "django_session"."expire_date" > %s'


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        session = sql.get_one(Session, WHERE, [self.session_key, timezone.now()])
        if session is None:
            self._session_key = None
        return session
