"""Editors' and administrators' sign-in, sign-out and password change (`/connexion`...).

The signed-in account's id is the only thing kept in the (signed, HttpOnly) session cookie; the
account is read again from the database on every request, so a deleted account is signed out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import Forbidden, TooManyRequests
from werkzeug.wrappers import Response

from geodata.accounts import audit
from geodata.accounts.users import (
    Account,
    authenticate,
    change_password,
    end_sessions,
    get_account,
)
from geodata.errors import InvalidValue
from geodata.normalize import EMAIL_MAX
from webapp.admin.blueprint import no_store
from webapp.errors import error_response
from webapp.extensions import limiter
from webapp.services import get_db, get_settings

bp = Blueprint("auth", __name__)
bp.after_request(no_store)

P = ParamSpec("P")
R = TypeVar("R")

SESSION_KEY = "compte"
VERSION_KEY = "version"
SINCE_KEY = "depuis"
# Besides the idle lifetime (PERMANENT_SESSION_LIFETIME, renewed by each request), a session
# ends this long after its sign-in, however busy: a stolen cookie does not last for ever.
ABSOLUTE_LIFETIME_S = 12 * 3600
REFUSED = "Adresse électronique ou mot de passe incorrect."


def _session_account() -> Account | None:
    """Return the account of this session if the session is still valid; else end it."""
    account_id, since = session.get(SESSION_KEY), session.get(SINCE_KEY)
    if not isinstance(account_id, int) or not isinstance(since, int | float):
        session.pop(SESSION_KEY, None)
        return None
    account = get_account(get_db(), account_id)
    expired = time.time() - since > ABSOLUTE_LIFETIME_S
    # A disabled account reads as None; an ended session carries an older version.
    if account is None or expired or session.get(VERSION_KEY) != account.session_version:
        session.clear()
        return None
    return account


def current_account() -> Account | None:
    """Return the signed-in account of this request, or None."""
    if "account" not in g:
        g.account = _session_account()
    account: Account | None = g.account
    return account


def _open_session(account: Account, version: int) -> None:
    session[SESSION_KEY] = account.id
    session[VERSION_KEY] = version
    session[SINCE_KEY] = int(time.time())


@bp.app_context_processor
def _templates_see_the_account() -> dict[str, Callable[[], Account | None]]:
    return {"current_account": current_account}


def login_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Send visitors who are not signed in to the sign-in page, then back here."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if current_account() is None:
            return redirect(url_for("auth.login", suivant=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def signed_in() -> Account:
    """Return the signed-in account (views decorated with `login_required` only)."""
    account = current_account()
    if account is None:
        abort(401)
    return account


class NotYourNetwork(Forbidden):
    """The signed-in account may not edit the network of the page."""


def network_required(slug: str) -> Account:
    """Return the signed-in account if it may edit network `slug`; a French 403 otherwise."""
    account = signed_in()
    if not account.can_edit(slug):
        raise NotYourNetwork()
    return account


def _safe_next(target: str | None) -> str:
    """Return `target` if it is a path of this site (never another site: open redirect).

    Browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil.example" is a link to
    another site: any such character refuses the target outright.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return url_for("admin.index")
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.scheme
        and not parts.netloc
    ):
        return target
    return url_for("admin.index")


def _login_limit() -> str:
    return get_settings().login_rate_limit


@bp.get("/connexion")
def login() -> str | Response:
    if current_account() is not None:
        return redirect(_safe_next(request.args.get("suivant")))
    return render_template("auth/login.html", suivant=request.args.get("suivant", ""))


@bp.post("/connexion")
@limiter.limit(_login_limit)
def login_post() -> tuple[str, int] | Response:
    email = request.form.get("courriel", "").strip()[:EMAIL_MAX]
    password = request.form.get("mot_de_passe", "")
    suivant = request.form.get("suivant", "")
    db = get_db()
    account = authenticate(db, email, password) if email and password else None
    if account is None:
        audit.record(db, email or "(vide)", audit.Action.SIGN_IN_REFUSED, None, {})
        db.commit()
        page = render_template("auth/login.html", suivant=suivant, email=email, error=REFUSED)
        return page, 401
    audit.record(db, account.email, audit.Action.SIGN_IN, account.network, {})
    db.commit()
    # A new session on sign-in: nothing set before (by anyone) survives into the signed-in one.
    session.clear()
    session.permanent = True
    _open_session(account, account.session_version)
    return redirect(_safe_next(suivant))


@bp.post("/deconnexion")
def logout() -> Response:
    """Sign out everywhere: every session of the account ends, not only this browser's."""
    account = current_account()
    if account is not None:
        db = get_db()
        end_sessions(db, account.id)
        db.commit()
    session.clear()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/compte/mot-de-passe")
@login_required
def password_form() -> str:
    return render_template("auth/password.html", account=signed_in())


@bp.post("/compte/mot-de-passe")
@login_required
def password_post() -> tuple[str, int] | Response:
    account = signed_in()
    form = request.form
    new = form.get("nouveau", "")
    if new != form.get("confirmation", ""):
        error = "Les deux saisies du nouveau mot de passe sont différentes."
        return render_template("auth/password.html", account=account, error=error), 400
    db = get_db()
    try:
        version = change_password(db, account.id, form.get("actuel", ""), new)
    except InvalidValue as exc:
        db.rollback()
        return render_template("auth/password.html", account=account, error=exc.message), 400
    db.commit()
    # Every other session has ended; this one carries on, renewed as after a sign-in.
    session.clear()
    session.permanent = True
    _open_session(account, version)
    flash("Votre mot de passe a été changé.", "info")
    return redirect(url_for("admin.index"))


@bp.app_errorhandler(TooManyRequests)
def too_many(_error: TooManyRequests) -> tuple[Response | str, int]:
    if request.blueprint == "auth":
        message = "Trop de tentatives de connexion : attendez une minute avant de réessayer."
        return error_response(429, message)
    return error_response(429, "Trop de requêtes : réessayez dans un instant.")


@bp.app_errorhandler(NotYourNetwork)
def forbidden(_error: NotYourNetwork) -> tuple[Response | str, int]:
    message = (
        "Votre compte ne permet pas de modifier ce réseau. Connectez-vous avec un compte de ce "
        "réseau, ou demandez l'accès à un administrateur."
    )
    return error_response(403, message)
