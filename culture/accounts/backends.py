"""Sign-in by username (staff) or by phone number (residents; matched by its keyed hash)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from culture.accounts.models import User
from culture.core.errors import ValidationFailed
from culture.core.personal import lookup_hash, normalize_phone


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            try:
                phone = normalize_phone(username)
            except ValidationFailed:
                phone = None
            if phone:
                user = User.objects.filter(phone_hash=lookup_hash(phone)).first()
        if user is None:
            User().set_password(password)  # same work either way: no timing oracle for usernames
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
