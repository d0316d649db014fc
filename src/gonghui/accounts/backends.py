"""Password sign-in as Django's ``ModelBackend`` does it; the signed-in user, read on every
request, is read with one ready statement (``core.sql``) instead of an ORM query, with the
worker's person record and its union (``membership.selectors.own_person`` uses them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from gonghui.core import sql

from .models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = sql.get_one(
            User, '"accounts_user"."id" = %s', [pk], related=("person", "person__union")
        )
        return user if user is not None and self.user_can_authenticate(user) else None
