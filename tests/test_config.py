from pathlib import Path

import pytest

from newsarchive.config import Config, load_config, parse_config
from newsarchive.errors import ConfigError


def test_defaults() -> None:
    config = parse_config({}, "site.yaml")
    assert config == Config()
    assert config.timezone == "UTC" and config.per_page == 20 and config.base_path == "/"


def test_every_bad_key_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("title: Fine\ntitel: typo\nper_page: 0\ntimezone: Mars/Olympus\nbase_url: example.org\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, "site.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "site.yaml:2: unknown key 'titel' (known keys: allow_iframes, author, base_url, description, export_split, feed_content, feed_size, language, max_file_size, per_page, search, timezone, title)",
        "site.yaml:3: per_page: must be between 1 and 1000, not 0",
        "site.yaml:4: timezone: unknown time zone 'Mars/Olympus' (use a name such as UTC or Asia/Baku)",
        "site.yaml:5: base_url: must be an absolute http(s) URL such as https://example.org/, not 'example.org'",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("title: Fine\nper_page: [1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, "site.yaml")
    assert str(caught.value.problems[0]).startswith("site.yaml:3: invalid YAML")


def test_config_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(path, "site.yaml")


def test_base_url_gets_a_trailing_slash_and_gives_the_base_path() -> None:
    config = parse_config({"base_url": "https://example.org/archive"}, "site.yaml")
    assert config.base_url == "https://example.org/archive/"
    assert config.base_path == "/archive/"


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.yaml", "nope.yaml") == Config()
