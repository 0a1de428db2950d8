"""Settings from the environment: typed values, and bad ones refused at start-up by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.config import Settings
from geodata.errors import ConfigurationError


def test_an_empty_environment_gives_the_defaults() -> None:
    assert Settings.from_env({}) == Settings()


def test_typed_values_are_read() -> None:
    settings = Settings.from_env(
        {
            "ANNUAIRE_INSTANCE_PATH": "/srv/annuaire",
            "ANNUAIRE_GEOCODER": "ban",
            "ANNUAIRE_BAN_URL": "https://addok.example.org",
            "ANNUAIRE_BAN_TIMEOUT": "2.5",
            "ANNUAIRE_TILES": "ign",
            "ANNUAIRE_SECURE_COOKIES": "oui",
            "ANNUAIRE_MAX_UPLOAD_MB": " 12 ",
            "ANNUAIRE_PROXIES": "0",
            "ANNUAIRE_LOG_LEVEL": "debug",
            "ANNUAIRE_FAR_KM": "30.5",
        }
    )
    assert settings.instance_path == Path("/srv/annuaire")
    assert settings.database_url == "sqlite:////srv/annuaire/annuaire.sqlite"
    assert (settings.geocoder, settings.ban_url) == ("ban", "https://addok.example.org")
    assert settings.ban_timeout == 2.5
    assert settings.tiles == "ign"
    assert settings.secure_cookies is True
    assert (settings.max_upload_mb, settings.proxies) == (12, 0)
    assert settings.log_level == "DEBUG"
    assert settings.far_km == 30.5


def test_a_far_team_is_beyond_fifty_kilometres_by_default() -> None:
    assert Settings().far_km == 50


def test_trusted_hosts_are_a_comma_separated_list_empty_by_default() -> None:
    assert Settings.from_env({}).trusted_hosts == ()
    found = Settings.from_env({"ANNUAIRE_TRUSTED_HOSTS": " Annuaire.example.org, .onco.fr ,"})
    assert found.trusted_hosts == ("annuaire.example.org", ".onco.fr")


@pytest.mark.parametrize("raw", ["0", "non", "off", "False"])
def test_a_boolean_can_be_turned_off_explicitly(raw: str) -> None:
    assert Settings.from_env({"ANNUAIRE_SECURE_COOKIES": raw}).secure_cookies is False


@pytest.mark.parametrize(
    ("environ", "variable", "expected"),
    [
        ({"ANNUAIRE_MAX_UPLOAD_MB": "5.5"}, "ANNUAIRE_MAX_UPLOAD_MB", "nombre entier positif"),
        ({"ANNUAIRE_MAX_UPLOAD_MB": "cinq"}, "ANNUAIRE_MAX_UPLOAD_MB", "nombre entier positif"),
        ({"ANNUAIRE_MAX_UPLOAD_MB": "0"}, "ANNUAIRE_MAX_UPLOAD_MB", "nombre entier positif"),
        ({"ANNUAIRE_MAX_UPLOAD_MB": "-3"}, "ANNUAIRE_MAX_UPLOAD_MB", "nombre entier positif"),
        ({"ANNUAIRE_PROXIES": "-1"}, "ANNUAIRE_PROXIES", "positif ou nul"),
        ({"ANNUAIRE_PROXIES": "un"}, "ANNUAIRE_PROXIES", "positif ou nul"),
        ({"ANNUAIRE_TRUSTED_HOSTS": "https://a.fr"}, "ANNUAIRE_TRUSTED_HOSTS", "noms d'hôte"),
        ({"ANNUAIRE_PENDING_DAYS": "800000"}, "ANNUAIRE_PENDING_DAYS", "de 1 à 3650"),
        ({"ANNUAIRE_TRUSTED_HOSTS": "a.fr b.fr"}, "ANNUAIRE_TRUSTED_HOSTS", "noms d'hôte"),
        ({"ANNUAIRE_BAN_TIMEOUT": "5s"}, "ANNUAIRE_BAN_TIMEOUT", "secondes"),
        ({"ANNUAIRE_BAN_TIMEOUT": "0"}, "ANNUAIRE_BAN_TIMEOUT", "secondes"),
        ({"ANNUAIRE_BAN_TIMEOUT": "nan"}, "ANNUAIRE_BAN_TIMEOUT", "secondes"),
        ({"ANNUAIRE_BAN_TIMEOUT": "inf"}, "ANNUAIRE_BAN_TIMEOUT", "secondes"),
        ({"ANNUAIRE_SECURE_COOKIES": "ture"}, "ANNUAIRE_SECURE_COOKIES", "« oui » ou « non »"),
        ({"ANNUAIRE_GEOCODER": "google"}, "ANNUAIRE_GEOCODER", "« local » ou « ban »"),
        ({"ANNUAIRE_TILES": "google"}, "ANNUAIRE_TILES", "« osm » ou « ign »"),
        ({"ANNUAIRE_LOG_LEVEL": "bavard"}, "ANNUAIRE_LOG_LEVEL", "WARNING"),
        ({"ANNUAIRE_FAR_KM": "0"}, "ANNUAIRE_FAR_KM", "kilomètres"),
        ({"ANNUAIRE_FAR_KM": "50 km"}, "ANNUAIRE_FAR_KM", "kilomètres"),
        ({"ANNUAIRE_FAR_KM": "nan"}, "ANNUAIRE_FAR_KM", "au plus 1000"),
        ({"ANNUAIRE_GEOCODER": "ban"}, "ANNUAIRE_BAN_URL", "ANNUAIRE_GEOCODER"),
        (
            {"ANNUAIRE_GEOCODER": "ban", "ANNUAIRE_BAN_URL": "addok.local:7878"},
            "ANNUAIRE_BAN_URL",
            "https://",
        ),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_and_the_accepted_values(
    environ: dict[str, str], variable: str, expected: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env(environ)
    assert variable in info.value.message
    assert expected in info.value.message


def test_the_message_quotes_what_was_received() -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({"ANNUAIRE_MAX_UPLOAD_MB": "5.5"})
    assert info.value.message == (
        "ANNUAIRE_MAX_UPLOAD_MB doit être un nombre entier positif (reçu : « 5.5 »)."
    )


def test_values_set_in_code_are_checked_too() -> None:
    with pytest.raises(ConfigurationError, match="ANNUAIRE_TILES"):
        Settings().replace(tiles="google")
    with pytest.raises(ConfigurationError, match="ANNUAIRE_MAX_UPLOAD_MB"):
        Settings(max_upload_mb=0)
