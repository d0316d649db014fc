"""Database sessions whose read is one ready statement (``core.sql``) instead of an ORM query
(every signed-in request reads its session first), and whose refresh is one ``UPDATE``
(``SessionRefreshMiddleware`` re-saves a signed-in session once a minute, so in a rush of
workers who opened the page a while ago nearly every request does). Creating, deleting and
everything else are Django's."""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from . import sql

WHERE = '"django_session"."session_key" = %s AND "django_session"."expire_date" > %s'
UPDATE = (
    'UPDATE "django_session" SET "session_data" = %s, "expire_date" = %s WHERE "session_key" = %s'
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        session = sql.get_one(Session, WHERE, [self.session_key, timezone.now()])
        if session is None:
            self._session_key = None
        return session

    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        # As Django's save with force_update: the row must still be there (else the session
        # ended meanwhile, e.g. signed out in another tab).
        data = self.encode(self._get_session(no_load=False))  # type: ignore[attr-defined]
        connection = connections[router.db_for_write(Session)]
        expiry = Session._meta.get_field("expire_date").get_db_prep_save(
            self.get_expiry_date(), connection
        )
        with connection.cursor() as cursor:
            cursor.execute(UPDATE, [data, expiry, self.session_key])
            if cursor.rowcount != 1:
                raise UpdateError
