from datetime import date

import pytest

from app.domain.dates import DateParseError, parse_date
from app.domain.registry_rules import (
    check_dates,
    check_email,
    check_phone,
    check_site_code,
    check_url,
    site_code_key,
    url_key,
)
from app.domain.text import clean_text, name_key
from app.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  县公安局（交警大队） ", "县公安局(交警大队)"),
        ("通城\u3000公安", "通城 公安"),
        ("ＡＢＣ１２３", "ABC123"),
        (None, ""),
        (2023, "2023"),
    ],
)
def test_clean_text_folds_width_brackets_and_spaces(raw, expected):
    assert clean_text(raw) == expected


def test_name_key_ignores_spacing_width_and_case():
    assert name_key("通城 公安") == name_key("通城公安") == name_key("通城\u3000公安")
    assert name_key("WeChat（测试）") == name_key("wechat(测试)")
    assert name_key("通城公安") != name_key("通城平安")


@pytest.mark.parametrize(
    "text",
    ["2023-01-05", "2023/1/5", "2023.1.5", "2023年1月5日", "20230105", "2023-01-05 00:00:00"],
)
def test_parse_date_accepts_office_spellings(text):
    assert parse_date(text) == date(2023, 1, 5)


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13-01", "去年", "5/1/2023"])
def test_parse_date_rejects_impossible_or_unknown(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_parse_date_empty_is_none():
    assert parse_date("  ") is None
    assert parse_date(None) is None


@pytest.mark.parametrize(
    "url",
    [
        "www.xinxiang.gov.cn",
        "https://rsj.xinxiang.gov.cn/",
        "http://10.1.2.3:8080/portal",
        "https://www.中国政府.cn",
    ],
)
def test_check_url_accepts_real_shapes(url):
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url", ["xinxiang", "ftp://a.gov.cn", "http://a b.cn", "https://", "http://a.gov.cn:99999"]
)
def test_check_url_rejects_bad_shapes(url):
    with pytest.raises(ValidationError) as err:
        check_url(url)
    assert err.value.field == "url"
    assert "网址" in err.value.message


def test_url_key_treats_scheme_slash_and_case_alike():
    assert (
        url_key("HTTPS://WWW.A.gov.cn/")
        == url_key("http://www.a.gov.cn")
        == url_key("www.a.gov.cn")
    )
    assert url_key("www.a.gov.cn/x") != url_key("www.a.gov.cn")
    assert url_key("") is None


def test_site_code_shape_and_key():
    assert check_site_code("bm41000001") == "bm41000001"
    assert site_code_key("bm41000001") == "BM41000001"
    for bad in ("41070001", "4107-00001", "41070000011"):
        with pytest.raises(ValidationError, match="10 位"):
            check_site_code(bad)


def test_email_and_phone():
    assert check_email("pexxgk@163.com") == "pexxgk@163.com"
    with pytest.raises(ValidationError):
        check_email("pexxgk163.com")
    assert check_phone("0715-4332211 转 8", "phone", "联系电话")
    with pytest.raises(ValidationError, match="联系电话"):
        check_phone("call me", "phone", "联系电话")


def test_check_dates_order_and_future():
    today = date(2026, 11, 24)
    check_dates(date(2020, 1, 1), date(2021, 1, 1), today)
    with pytest.raises(ValidationError, match="早于"):
        check_dates(date(2021, 1, 1), date(2020, 1, 1), today)
    with pytest.raises(ValidationError, match="晚于今天"):
        check_dates(date(2027, 1, 1), None, today)
