"""Sample 通报 content for the renderer tests, shaped like the published notices."""

from __future__ import annotations

from datetime import date

from app.domain.notice_document import (
    AttachmentTable,
    BarChart,
    Block,
    BlockKind,
    NoticeDocument,
    TableColumn,
)

REGIONS = ["长垣市", "获嘉县", "新乡县", "辉县市", "牧野区", "凤泉区", "封丘县", "卫辉市", "红旗区"]
RATES = [100.0, 100.0, 95.7, 100.0, 87.5, 100.0, 62.5, 100.0, 0.0]
PLATFORMS = ["微信公众号", "新浪微博", "抖音", "快手", "今日头条"]
DEPTS = ["人社局", "农业农村局", "市场监管局", "卫健委", "文旅局", "公安局", "教育局", "司法局"]
PROBLEMS = [
    "无",
    "咨询建言功能不全-13",
    "没有咨询建言(单否);空白栏目-10",
    "发布类账号2周内无更新，未按要求纳入全国政务新媒体信息报送系统常态化监管，"
    "存在“僵尸”“空壳”问题，已停止维护但未关停，清理整合不到位",
]
# A cell longer than a whole page: must be split across pages, never cut off. HUGE_MARK
# appears nowhere else, so counting it in the PDF text finds any lost line.
HUGE_MARK = "差"
HUGE_PROBLEM = f"栏目长期未更新且互动回应{HUGE_MARK}，" * 160 + "（完）"


def sample_notice(account_rows: int = 60, huge_cell: bool = False) -> NoticeDocument:
    """A notice with every block kind, a chart and three attachments (one long table)."""
    websites = [
        [str(i), f"{region}人民政府门户网站", "100" if i % 4 else "87", "合格", PROBLEMS[i % 3]]
        for i, region in enumerate(REGIONS, start=1)
    ]
    accounts = []
    for i in range(1, account_rows + 1):
        region = REGIONS[i % len(REGIONS)]
        dept = DEPTS[i % len(DEPTS)]
        problem = PROBLEMS[i % len(PROBLEMS)]
        accounts.append(
            [
                str(i),
                region,
                f"{region}{dept}",
                f"{region[:2]}{dept}发布{i}",
                PLATFORMS[i % len(PLATFORMS)],
                "合格" if problem == "无" else "不合格",
                problem,
            ]
        )
    if huge_cell and accounts:
        accounts[3][6] = HUGE_PROBLEM
    failed = [row for row in accounts if row[5] == "不合格"][:20]
    return NoticeDocument(
        title="普洱市人民政府办公室关于2022年一季度全市政府网站和政务新媒体检查情况的通报",
        doc_number="普政办函〔2022〕31号",
        recipients="各县（区）人民政府，市直有关部门：",
        body=[
            Block(
                BlockKind.PARAGRAPH,
                "按照国务院办公厅、省政府办公厅关于政府网站和政府系统政务新媒体管理工作有关要求，"
                "2022年一季度，市政府办公室对全市政府网站和政府系统政务新媒体运行情况进行了监测检查。"
                "现将检查情况通报如下：",
            ),
            Block(BlockKind.HEADING, "一、总体情况"),
            Block(
                BlockKind.PARAGRAPH,
                "普洱市在“全国政府网站信息报送系统”中登记的在运行政府网站12个，经检查，"
                "总体合格率100%。",
                lead="（一）政府网站方面：",
            ),
            Block(
                BlockKind.PARAGRAPH,
                "经对全市在运行的279个政务新媒体开展常态化监测，发现不合格12个，总体合格率为95.7%。",
                lead="（二）政务新媒体方面：",
            ),
            Block(BlockKind.CHART),
            Block(BlockKind.HEADING, "二、存在的主要问题"),
            Block(
                BlockKind.PARAGRAPH,
                "部分单位网站依然存在多个栏目应更新但未更新的问题，如，市发展改革委、市林草局网站。",
                lead="（一）政府网站信息更新不及时。",
            ),
            Block(BlockKind.HEADING, "三、下一步工作建议"),
            Block(
                BlockKind.PARAGRAPH,
                "各县（区）、各部门要高度重视整改落实工作，于2022年4月25日前将整改落实情况报市政府办公室"
                "（联系人及电话：罗皓丹，2189636，邮箱pexxgk@163.com）。",
            ),
        ],
        attachment_titles=[
            "2022年一季度全市政府网站检查情况",
            "2022年一季度全市政府系统政务新媒体检查情况",
            "2022年一季度抽查不合格政府政务新媒体名单",
        ],
        issuer="普洱市人民政府办公室",
        issue_date=date(2022, 4, 7),
        publicity="（此件公开发布）",
        chart=BarChart("各县（区）政务新媒体合格率", REGIONS, RATES),
        attachments=[
            AttachmentTable(
                1,
                "2022年一季度全市政府网站检查情况",
                [
                    TableColumn("编号", 0.6),
                    TableColumn("网站名称", 2.5, "left"),
                    TableColumn("评分", 0.7),
                    TableColumn("结果", 0.7),
                    TableColumn("主要问题", 3.0, "left"),
                ],
                websites,
                note="注：数据采集时间2022年1月1日—3月25日",
            ),
            AttachmentTable(
                2,
                "2022年一季度全市政府系统政务新媒体检查情况",
                [
                    TableColumn("序号", 0.6),
                    TableColumn("县区", 1.0),
                    TableColumn("主办单位", 1.8, "left"),
                    TableColumn("账号名称", 1.8, "left"),
                    TableColumn("平台", 1.1),
                    TableColumn("结果", 0.8),
                    TableColumn("主要问题", 3.0, "left"),
                ],
                accounts,
                note="注：数据采集时间2022年1月1日—3月25日",
            ),
            AttachmentTable(
                3,
                "2022年一季度抽查不合格政府政务新媒体名单",
                [
                    TableColumn("序号", 0.6),
                    TableColumn("账号名称", 2.0, "left"),
                    TableColumn("平台", 1.2),
                    TableColumn("主要问题", 3.5, "left"),
                ],
                [[str(n), r[3], r[4], r[6]] for n, r in enumerate(failed, start=1)],
                note="注：数据采集时间2022年1月1日—2022年3月25日",
            ),
        ],
    )
