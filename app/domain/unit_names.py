"""What a unit's name says about its kind (县区政府 / 乡镇街道 / 部门 / 其他)."""

from __future__ import annotations

import re

_TOWNSHIP = re.compile(r"(镇|乡|街道)(人民政府|办事处|政府)?$|街道办事处$|镇人民政府|乡人民政府")
_COUNTY_GOV = re.compile(r"(县|区|市|旗)(人民)?政府$")
_OTHER = re.compile(r"(村民?委员会|村委会|居委会|社区|管委会|管理委员会|公司|中心小学)$")


def guess_unit_kind(name: str) -> str:
    """A UnitKind code guessed from the name; 'department' when nothing tells otherwise."""
    name = name.strip()
    if _OTHER.search(name):
        return "other"
    if _TOWNSHIP.search(name):
        return "township"
    if _COUNTY_GOV.search(name):
        return "county_gov"
    return "department"
