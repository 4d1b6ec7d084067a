"""Cognito identity: verify tokens against the pool's JWKS and sign staff in.

Tokens are checked here, in the API Lambda, rather than by an API Gateway authorizer, because
staff pages carry the token in an HttpOnly cookie (a TOKEN authorizer sees only the header) and
one code path for both pools is easier to test. PyJWT does the cryptography; the key set is
fetched once per pool and cached (PyJWKClient), so a warm Lambda verifies without I/O.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ParamValidationError

from chalicelib.adapters.aws import client
from chalicelib.errors import InvalidInput, NotSignedIn, Unavailable
from chalicelib.settings import get_settings

if TYPE_CHECKING:
    import jwt

EXPIRED = "Sesi Anda sudah berakhir atau tidak sah. Silakan masuk kembali."
SIGN_IN = "Silakan masuk terlebih dahulu."


@dataclass(frozen=True)
class Principal:
    """Who is calling: the Cognito subject, user name and groups."""

    sub: str
    username: str
    groups: tuple[str, ...] = field(default_factory=tuple)
    email: str | None = None
    name: str | None = None  # staff: the full name printed on documents
    nip: str | None = None  # staff: Nomor Induk Pegawai (custom:nip)
    kind: str | None = None  # applicant: pencari_kerja, perusahaan, sekolah or p3mi (custom:kind)
    organisation: str | None = None  # applicant: the company, school or agency (custom:organisation)
    session_id: str | None = None  # the sign-in session (origin_jti): one per sign-in, kept on refresh
    expires_at: int | None = None  # the token's end (exp), epoch seconds
    # What this request has read about the principal already (services/work.py `acting_roles`:
    # the decrees per office). A Principal is made from the token for one request, so this never
    # outlives it.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def roles_in(self, office: str) -> set[str]:
        """Roles this principal holds in `office` (staff groups are named `<office>.<role>`)."""
        prefix = f"{office}."
        return {g[len(prefix) :] for g in self.groups if g.startswith(prefix)}

    @property
    def offices(self) -> set[str]:
        return {g.split(".", 1)[0] for g in self.groups if "." in g}


_jwk_clients: dict[str, jwt.PyJWKClient] = {}
_jwk_lock = threading.Lock()


def _jwk_client(url: str) -> jwt.PyJWKClient:
    import jwt

    with _jwk_lock:
        if url not in _jwk_clients:
            _jwk_clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)
        return _jwk_clients[url]


def verify_token(token: str, pool_id: str, client_id: str) -> Principal:
    """Verify an id token of `pool_id` issued to `client_id`; raise NotSignedIn if it is not valid."""
    import jwt  # PyJWT with cryptography: imported by the first signed request, not the cold start

    settings = get_settings()
    try:
        signing_key = _jwk_client(settings.jwks_url(pool_id)).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            signing_key.key,
            algorithms=["RS256"],
            audience=client_id,
            issuer=settings.issuer(pool_id),
            options={"require": ["exp", "iat", "sub", "token_use"]},
        )
    except jwt.PyJWKClientError:
        # The pool's key set cannot be fetched: our dependency is down, not the caller's fault.
        raise Unavailable(
            "Layanan masuk sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi."
        ) from None
    except jwt.InvalidTokenError:
        raise NotSignedIn(EXPIRED) from None
    if claims.get("token_use") != "id":
        raise NotSignedIn(EXPIRED)
    return Principal(
        sub=claims["sub"],
        username=claims.get("cognito:username", claims["sub"]),
        groups=tuple(claims.get("cognito:groups", [])),
        email=claims.get("email"),
        name=claims.get("name"),
        nip=claims.get("custom:nip"),
        kind=claims.get("custom:kind"),
        organisation=claims.get("custom:organisation"),
        session_id=claims.get("origin_jti"),
        expires_at=int(claims["exp"]),
    )


def sign_in(pool_client_id: str, username: str, password: str) -> str:
    """Password sign-in; returns the id token or raises NotSignedIn with an Indonesian message."""
    cognito = client("cognito-idp")
    if not username or len(username) > 128 or not password or len(password) > 256:
        raise NotSignedIn("Nama pengguna atau kata sandi salah.")  # Cognito's bounds
    try:
        result = cognito.initiate_auth(
            ClientId=pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except cognito.exceptions.NotAuthorizedException:
        raise NotSignedIn("Nama pengguna atau kata sandi salah.") from None
    except cognito.exceptions.UserNotFoundException:
        raise NotSignedIn("Nama pengguna atau kata sandi salah.") from None
    except cognito.exceptions.UserNotConfirmedException:
        raise NotSignedIn("Akun belum dikonfirmasi. Periksa email Anda.") from None
    except cognito.exceptions.PasswordResetRequiredException:
        raise NotSignedIn("Kata sandi akun ini harus diganti. Hubungi admin kantor.") from None
    except cognito.exceptions.InvalidParameterException:  # a name Cognito cannot even look up
        raise NotSignedIn("Nama pengguna atau kata sandi salah.") from None
    auth = result.get("AuthenticationResult")
    if not auth:
        if result.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            raise NewPasswordRequired(str(result.get("Session", "")))
        raise NotSignedIn("Akun ini perlu tindakan admin kantor sebelum dapat masuk.")
    return str(auth["IdToken"])


class NewPasswordRequired(Exception):
    """First sign-in with the temporary password Cognito emailed: a new password must be chosen."""

    def __init__(self, session: str) -> None:
        super().__init__("new password required")
        self.session = session


SESSION_ENDED = "Sesi penggantian kata sandi habis. Masuk lagi dengan kata sandi sementara."
# Cognito's bounds for RespondToAuthChallenge (botocore checks them before sending anything).
SESSION_LENGTH = (20, 2048)
USERNAME_MAX = 128
PASSWORD_MAX = 256


def set_first_password(pool_client_id: str, username: str, session: str, new_password: str) -> str:
    """Answer Cognito's new-password challenge; returns the id token or raises NotSignedIn.

    `session` comes back from the page's hidden field, so it may be anything: one outside Cognito's
    20 to 2,048 characters (botocore's ParamValidationError, a bare 500 before), or one Cognito does
    not know (moto says ResourceNotFoundException), is a session that ended.
    """
    if not SESSION_LENGTH[0] <= len(session) <= SESSION_LENGTH[1]:
        raise NotSignedIn(SESSION_ENDED)
    if not 1 <= len(username) <= USERNAME_MAX or not 1 <= len(new_password) <= PASSWORD_MAX:
        raise NotSignedIn("Isi nama pengguna dan kata sandi baru (paling banyak 256 karakter).")
    cognito = client("cognito-idp")
    if not 20 <= len(session) <= 2048:  # Cognito's bounds for a session token; botocore checks them too
        raise NotSignedIn("Sesi penggantian kata sandi habis. Masuk lagi dengan kata sandi sementara.")
    try:
        result = cognito.respond_to_auth_challenge(
            ClientId=pool_client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": new_password},
        )
    except cognito.exceptions.InvalidPasswordException:
        raise InvalidInput(
            "Kata sandi baru paling sedikit 12 karakter, dengan huruf besar, huruf kecil dan angka."
        ) from None
    except (
        cognito.exceptions.NotAuthorizedException,
        cognito.exceptions.CodeMismatchException,
        cognito.exceptions.ResourceNotFoundException,
        cognito.exceptions.InvalidParameterException,
        ParamValidationError,
    ):
        raise NotSignedIn(SESSION_ENDED) from None
    auth = result.get("AuthenticationResult")
    if not auth:
        raise NotSignedIn("Kata sandi belum dapat diganti. Hubungi admin kantor.")
    return str(auth["IdToken"])


def staff_emails(office: str, role: str) -> list[str]:
    """Email addresses of the enabled staff of one office role (Cognito group `<office>.<role>`)."""
    cognito = client("cognito-idp")
    emails: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": get_settings().staff_pool_id, "GroupName": f"{office}.{role}"}
    try:
        while True:
            page = cognito.list_users_in_group(**kwargs)
            for user in page.get("Users", []):
                attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                if user.get("Enabled", True) and attributes.get("email"):
                    emails.append(attributes["email"])
            if not page.get("NextToken"):
                return emails
            kwargs["NextToken"] = page["NextToken"]
    except cognito.exceptions.ResourceNotFoundException:
        return []


def global_sign_out(pool_id: str, username: str) -> None:
    """Cognito's sign-out of `username` everywhere (AdminUserGlobalSignOut): every refresh token of
    the account is revoked, so no new token can be had from one. Tokens already issued stay
    valid to a verifier that only checks signatures: Loket's own session check refuses them
    (services/sessions.py). An account Cognito no longer knows has nothing to sign out."""
    cognito = client("cognito-idp")
    try:
        cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        return


def account_enabled(pool_id: str, username: str) -> bool:
    """Whether Cognito has `username` in `pool_id`, enabled (AdminGetUser)."""
    cognito = client("cognito-idp")
    try:
        user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        return False
    return bool(user.get("Enabled", True))
