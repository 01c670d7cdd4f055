"""A known dataset for the 总览 figures and reports (fixed 'today' 2025-07-22).

- 红旗区: 红旗区人民政府网站 (W1), 红旗民政 (A1, 已备案); 卫滨区: 卫滨区人民政府网站 (W2),
  卫滨教育 (A2, 未备案), 卫滨发布 (A3, 未及时备案, 僵尸) — and 牧野区政务网 (W3), opened after
  the third round's window.
- 第一季度 (deadline 04-20): W1 veto 不合格, W2 two deductions 合格 (two items), A1 合格,
  A2 veto 不合格, A3 合格. W1's unit reports on 04-15, A2's on 05-10.
- 第二季度 (deadline 07-20): all sites 合格 (so 第一季度's items are re-checked 通过), A1 and A3
  veto 不合格; A3's unit reports on 07-18 (not re-checked yet).
- 第三季度 (open): only W1 checked, 合格.
- A manual item for 卫滨区教育局 due 07-24.
"""

from datetime import date

from app.domain.scoring import Finding
from app.services.dto import AccountInput, UnitInput, WebsiteInput
from app.services.rectification import ItemInput
from app.vocab import FilingStatus, Platform, UnitKind, WebsiteKind
from tests.rounds import create_round

TODAY = date(2025, 7, 22)


def make_round(registry, name, start, end, inspected, deadline):
    return create_round(registry, name, start, end, inspected=inspected, deadline=deadline)


def build_world(registry) -> dict:
    """Create the dataset described above; returns the ids the tests look for."""
    for name, region, kind in (
        ("红旗区人民政府", "红旗区", UnitKind.COUNTY_GOV),
        ("红旗区民政局", "红旗区", UnitKind.DEPARTMENT),
        ("卫滨区人民政府", "卫滨区", UnitKind.COUNTY_GOV),
        ("卫滨区教育局", "卫滨区", UnitKind.DEPARTMENT),
        ("牧野区人民政府", "牧野区", UnitKind.COUNTY_GOV),
    ):
        registry.units.create(UnitInput(name, region, kind))
    portal = WebsiteKind.PORTAL
    w1 = registry.websites.create(
        WebsiteInput("红旗区人民政府网站", "红旗区人民政府", url="www.hqq.gov.cn", kind=portal)
    )
    w2 = registry.websites.create(
        WebsiteInput("卫滨区人民政府网站", "卫滨区人民政府", url="www.wbq.gov.cn", kind=portal)
    )
    a1 = registry.accounts.create(AccountInput(Platform.WECHAT, "红旗民政", "红旗区民政局"))
    a2 = registry.accounts.create(
        AccountInput(Platform.WEIBO, "卫滨教育", "卫滨区教育局", filing_status=FilingStatus.UNFILED)
    )
    a3 = registry.accounts.create(
        AccountInput(
            Platform.DOUYIN,
            "卫滨发布",
            "卫滨区人民政府",
            filing_status=FilingStatus.LATE,
            is_zombie=True,
        )
    )
    q1 = make_round(
        registry, "2025年第一季度", date(2025, 1, 1), date(2025, 3, 25), date(2025, 3, 28),
        date(2025, 4, 20),
    )  # fmt: skip
    targets = {t.name: t.id for t in registry.inspection.targets(q1)}
    rules = registry.inspection.checklist(targets["红旗区人民政府网站"]).rules
    site_veto = next(i for i in rules.indicators if i.part == "veto")
    d1, d2 = [i for i in rules.indicators if i.part == "deduction" and i.points_per][:2]
    account_rules = registry.inspection.checklist(targets["红旗民政"]).rules
    account_veto = next(i for i in account_rules.indicators if i.part == "veto")
    save = registry.inspection.save
    save(targets["红旗区人民政府网站"], [Finding(site_veto.code)])
    save(targets["卫滨区人民政府网站"], [Finding(d1.code), Finding(d2.code)])
    save(targets["卫滨教育"], [Finding(account_veto.code)])
    registry.inspection.mark_passed([targets["红旗民政"], targets["卫滨发布"]])
    items = {(i.target_name, i.round_id): i.id for i in registry.rectification.list(TODAY)}
    registry.rectification.record_report(items[("红旗区人民政府网站", q1)], date(2025, 4, 15))
    registry.rectification.record_report(items[("卫滨教育", q1)], date(2025, 5, 10))

    q2 = make_round(
        registry, "2025年第二季度", date(2025, 4, 1), date(2025, 6, 25), date(2025, 6, 28),
        date(2025, 7, 20),
    )  # fmt: skip
    targets2 = {t.name: t.id for t in registry.inspection.targets(q2)}
    registry.inspection.mark_passed(
        [targets2[n] for n in ("红旗区人民政府网站", "卫滨区人民政府网站", "卫滨教育")]
    )
    save(targets2["红旗民政"], [Finding(account_veto.code)])
    save(targets2["卫滨发布"], [Finding(account_veto.code)])
    items = {(i.target_name, i.round_id): i.id for i in registry.rectification.list(TODAY)}
    registry.rectification.record_report(items[("卫滨发布", q2)], date(2025, 7, 18))

    q3 = make_round(registry, "2025年第三季度", date(2025, 7, 1), date(2025, 7, 20), None, None)
    targets3 = {t.name: t.id for t in registry.inspection.targets(q3)}
    registry.inspection.mark_passed([targets3["红旗区人民政府网站"]])
    w3 = registry.websites.create(
        WebsiteInput(
            "牧野区政务网", "牧野区人民政府", url="www.myq.gov.cn", opened_on=date(2025, 7, 21)
        )
    )
    manual = registry.rectification.create(
        ItemInput(["卫滨区教育局"], "上级抽查：微博简介未标注主办单位", date(2025, 7, 10),
                  deadline=date(2025, 7, 24), account_id=a2)
    )  # fmt: skip
    return {
        "rounds": (q1, q2, q3),
        "records": {"w1": w1, "w2": w2, "w3": w3, "a1": a1, "a2": a2, "a3": a3},
        "targets3": targets3,
        "items": items,
        "manual": manual,
        "names": {
            "site_veto": site_veto.short_name,
            "d1": d1.short_name,
            "d2": d2.short_name,
            "account_veto": account_veto.short_name,
        },
    }
