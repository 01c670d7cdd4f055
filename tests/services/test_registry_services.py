"""Registry services on a real SQLite file: validation, duplicates, history, transactions."""

from datetime import date, timedelta

import pytest

from app.errors import ConflictError, DuplicateError, UnitNotFoundError, ValidationError
from app.services.dto import AccountInput, UnitInput, WebsiteInput
from app.vocab import AccountStatus, EventKind, FilingStatus, Platform, WebsiteKind, WebsiteStatus


def _unit(registry, name="县市场监管局", region="通城县", aliases=()):
    return registry.units.create(UnitInput(name=name, region=region, aliases=list(aliases)))


# -- units ------------------------------------------------------------------------------------
def test_unit_alias_resolves_and_duplicates_are_refused(registry):
    unit_id = _unit(registry, aliases=["县市监局"])
    assert registry.units.find_id("县市监局") == unit_id
    assert registry.units.find_id(" 县市场监管局 ") == unit_id
    with pytest.raises(DuplicateError, match="已存在"):
        _unit(registry, name="县市监局")
    other = _unit(registry, name="县卫健局")
    with pytest.raises(DuplicateError, match="已属于单位"):
        registry.units.update(other, UnitInput(name="县卫健局", aliases=["县市监局"]))


def test_unit_validation_names_the_field(registry):
    with pytest.raises(ValidationError) as err:
        registry.units.create(UnitInput(name="  "))
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        registry.units.create(UnitInput(name="县林业局", email="not-an-email"))
    assert err.value.field == "email"
    assert registry.units.list() == []


def test_merge_moves_records_and_keeps_the_old_name_as_alias(registry):
    keep = _unit(registry, name="县市场监管局")
    absorb = _unit(registry, name="县市监局", aliases=["县市场监督管理局"])
    account = registry.accounts.create(AccountInput(Platform.WECHAT, "通城市场监管", "县市监局"))
    registry.units.merge(keep, absorb)
    assert [u.name for u in registry.units.list()] == ["县市场监管局"]
    kept = registry.units.get(keep)
    assert set(kept.aliases) == {"县市监局", "县市场监督管理局"}
    assert kept.account_count == 1
    assert registry.accounts.get(account).unit_name == "县市场监管局"
    kinds = [e.kind for e in registry.accounts.history(account)]
    assert kinds == [EventKind.REGISTERED, EventKind.OWNER_CHANGED]


def test_unit_with_records_cannot_be_deleted(registry):
    unit_id = _unit(registry)
    registry.accounts.create(AccountInput(Platform.WECHAT, "通城市场监管", "县市场监管局"))
    with pytest.raises(ConflictError, match="不能删除"):
        registry.units.delete(unit_id)
    empty = _unit(registry, name="县档案馆")
    registry.units.delete(empty)
    assert registry.units.find_id("县档案馆") is None


# -- websites ---------------------------------------------------------------------------------
def _site(registry, **over):
    data = dict(
        name="通城县人民政府网站",
        unit_name="通城县人民政府",
        url="https://www.tongcheng.gov.cn",
        site_code="4212220001",
        kind=WebsiteKind.PORTAL,
    )
    data.update(over)
    return registry.websites.create(WebsiteInput(**data), create_unit=True)


def test_website_unknown_unit_is_reported_not_created(registry):
    with pytest.raises(UnitNotFoundError) as err:
        registry.websites.create(
            WebsiteInput(name="某网站", unit_name="不存在的局", url="www.x.gov.cn")
        )
    assert err.value.name == "不存在的局"
    assert registry.units.list() == []


def test_website_duplicates_by_url_or_code(registry):
    _site(registry)
    with pytest.raises(DuplicateError, match="网址") as err:
        _site(registry, name="另一个", url="http://WWW.tongcheng.gov.cn/", site_code="")
    assert err.value.field == "url"
    with pytest.raises(DuplicateError, match="网站标识码"):
        _site(registry, name="另一个", url="https://other.gov.cn", site_code="4212220001")
    assert len(registry.websites.list()) == 1


def test_failed_save_leaves_nothing_behind(registry):
    _site(registry)
    with pytest.raises(DuplicateError):
        registry.websites.create(
            WebsiteInput(name="重复", unit_name="全新单位", url="www.tongcheng.gov.cn"),
            create_unit=True,
        )
    assert registry.units.find_id("全新单位") is None


def test_website_needs_url_or_code(registry):
    with pytest.raises(ValidationError, match="至少填写"):
        _site(registry, url="", site_code="")


def test_website_update_records_rename_owner_and_field_changes(registry):
    site = _site(registry)
    _unit(registry, name="县政务服务和大数据管理局")
    registry.websites.update(
        site,
        WebsiteInput(
            name="通城县政府门户网站",
            unit_name="县政务服务和大数据管理局",
            url="https://www.tongcheng.gov.cn/index",
            site_code="4212220001",
            kind=WebsiteKind.PORTAL,
        ),
    )
    events = registry.websites.history(site)
    assert [e.kind for e in events] == [
        EventKind.REGISTERED,
        EventKind.RENAMED,
        EventKind.OWNER_CHANGED,
        EventKind.CHANGED,
    ]
    assert events[1].summary == "通城县人民政府网站 → 通城县政府门户网站"
    assert (
        "网址：https://www.tongcheng.gov.cn → https://www.tongcheng.gov.cn/index"
        in events[3].summary
    )
    assert all(e.recorded_by == "测试员" for e in events[1:])


def test_close_and_reopen_keep_history(registry):
    site = _site(registry, opened_on=date(2015, 3, 1))
    with pytest.raises(ValidationError, match="早于开设日期"):
        registry.websites.close(site, date(2014, 1, 1), "x")
    registry.websites.close(site, date(2023, 6, 30), "集约化整合", migrated=True)
    row = registry.websites.get(site)
    assert row.status is WebsiteStatus.MIGRATED and row.closed_on == date(2023, 6, 30)
    with pytest.raises(ConflictError, match="已是关停"):
        registry.websites.close(site, date(2023, 7, 1), "again")
    with pytest.raises(ValidationError, match="早于关停日期"):
        registry.websites.reopen(site, date(2023, 1, 1), "x")
    registry.websites.reopen(site, date(2024, 1, 2), "恢复")
    row = registry.websites.get(site)
    assert row.status is WebsiteStatus.RUNNING and row.closed_on is None
    history = registry.websites.history(site)
    assert [(e.kind, e.reason) for e in history[1:]] == [
        (EventKind.MIGRATED, "集约化整合"),
        (EventKind.REOPENED, "恢复"),
    ]


def test_future_dates_are_refused(registry):
    site = _site(registry)
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        registry.websites.close(site, tomorrow, "")
    with pytest.raises(ValidationError, match="开设日期"):
        _site(registry, name="新", url="www.n.gov.cn", site_code="", opened_on=tomorrow)


# -- accounts ---------------------------------------------------------------------------------
def test_account_duplicate_is_same_platform_and_name_in_any_spelling(registry):
    _unit(registry, name="县公安局")
    registry.accounts.create(AccountInput(Platform.DOUYIN, "通城公安", "县公安局"))
    registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城公安", "县公安局")
    )  # other platform: fine
    with pytest.raises(DuplicateError) as err:
        registry.accounts.create(AccountInput(Platform.DOUYIN, "通城 公安", "县公安局"))
    assert "抖音账号「通城公安」已在台账中" in err.value.message
    assert "县公安局" in err.value.message
    assert err.value.field == "name"


def test_account_region_defaults_to_unit_region_and_changes_are_logged(registry):
    _unit(registry, name="县文旅局", region="通城县")
    account = registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城旅游", "县文旅局", filing_status=FilingStatus.UNFILED)
    )
    row = registry.accounts.get(account)
    assert row.region == "通城县"
    registry.accounts.update(
        account,
        AccountInput(
            Platform.WECHAT,
            "通城旅游",
            "县文旅局",
            region="通城县",
            filing_status=FilingStatus.FILED,
            changing=True,
            is_zombie=True,
        ),
    )
    row = registry.accounts.get(account)
    assert row.status is AccountStatus.CHANGED and row.is_zombie and row.flags_text == "僵尸"
    summary = registry.accounts.history(account)[-1].summary
    assert "备案状态：未备案 → 已备案" in summary
    assert "状态：运行 → 变更" in summary
    assert "僵尸：否 → 是" in summary


def test_closing_an_account_keeps_it_and_delete_removes_it(registry):
    _unit(registry, name="县卫健局")
    account = registry.accounts.create(AccountInput(Platform.WECHAT, "通城卫生计生", "县卫健局"))
    registry.accounts.close(account, date(2021, 6, 8), "责令关停")
    row = registry.accounts.get(account)
    assert row.status is AccountStatus.CLOSED and not row.is_running
    # editing a closed account keeps it closed
    registry.accounts.update(
        account, AccountInput(Platform.WECHAT, "通城卫生计生", "县卫健局", note="已注销")
    )
    assert registry.accounts.get(account).status is AccountStatus.CLOSED
    registry.accounts.delete(account)
    assert registry.accounts.list() == []


# -- demo -------------------------------------------------------------------------------------
def test_demo_loads_from_notices_and_clears_without_touching_real_records(registry):
    assert registry.demo.registry_is_empty()
    units, sites, accounts = registry.demo.load()
    assert (sites, accounts) == (49, len(registry.accounts.list()))
    names = {w.name for w in registry.websites.list()}
    assert "新乡市民政局网站" in names or any("民政" in n for n in names)
    assert registry.units.find_id("县市监局") == registry.units.find_id("县市场监管局")
    real = registry.accounts.create(AccountInput(Platform.WEIBO, "真实账号", "县公安局"))
    registry.demo.clear()
    assert not registry.demo.has_demo_data()
    assert [a.id for a in registry.accounts.list()] == [real]
    assert registry.websites.list() == []
    assert [u.name for u in registry.units.list()] == ["县公安局"]


def test_units_created_from_a_name_get_a_guessed_kind(registry):
    from app.vocab import UnitKind

    registry.accounts.create(
        AccountInput(Platform.WECHAT, "花果四庄", "四庄乡人民政府"), create_unit=True
    )
    registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城教育", "县教育局"), create_unit=True
    )
    kinds = {u.name: u.kind for u in registry.units.list()}
    assert kinds == {"四庄乡人民政府": UnitKind.TOWNSHIP, "县教育局": UnitKind.DEPARTMENT}
