"""Editors' and administrators' sign-in, sign-out and password change (`/connexion`...).

The signed-in account's id is the only thing kept in the (signed, HttpOnly) session cookie; the
account is read again from the database on every request, so a deleted account is signed out.
"""

from __future__ import annotations

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
from geodata.accounts.users import Account, authenticate, change_password, get_account
from geodata.errors import InvalidValue
from geodata.normalize import EMAIL_MAX
from webapp.errors import error_response
from webapp.extensions import limiter
from webapp.services import get_db, get_settings

bp = Blueprint("auth", __name__)

P = ParamSpec("P")
R = TypeVar("R")

SESSION_KEY = "compte"
REFUSED = "Adresse électronique ou mot de passe incorrect."


def current_account() -> Account | None:
    """Return the signed-in account of this request, or None."""
    if "account" not in g:
        account_id = session.get(SESSION_KEY)
        g.account = get_account(get_db(), account_id) if isinstance(account_id, int) else None
    account: Account | None = g.account
    return account


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
    session[SESSION_KEY] = account.id
    return redirect(_safe_next(suivant))


@bp.post("/deconnexion")
def logout() -> Response:
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
        change_password(db, account.id, form.get("actuel", ""), new)
    except InvalidValue as exc:
        db.rollback()
        return render_template("auth/password.html", account=account, error=exc.message), 400
    db.commit()
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
