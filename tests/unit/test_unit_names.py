import pytest

from app.domain.unit_names import guess_unit_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("麦市镇人民政府", "township"),
        ("四庄乡人民政府", "township"),
        ("临沭街道", "township"),
        ("郑山街道办事处", "township"),
        ("长垣市人民政府", "county_gov"),
        ("红旗区人民政府", "county_gov"),
        ("麦市镇陈塅村委会", "other"),
        ("高新区管委会", "other"),
        ("县移动公司", "other"),
        ("县公安局", "department"),
        ("县市场监管局", "department"),
        ("县政务服务和大数据管理局", "department"),
    ],
)
def test_guess_unit_kind(name, kind):
    assert guess_unit_kind(name) == kind
