"""Speed benchmark of catalogue search: Gongkai's matcher against SQLite FTS5, rapidfuzz and tantivy.

The workload is synthetic and seeded, so every run with the same options sees the same data:

* a catalogue of N items (100,000 by default) of several agencies over 2008-2025, whose titles are
  filled in from templates of real catalogue titles (关于开展{领域}{行动}的通知, 《{法规}》宣贯会召开,
  {企业}{许可}办理指南 ...) with a few hundred words of vocabulary, each with a 内容概述, a category,
  a column, a unique index number and a date; the real guide and lexicon of ``knowledge/`` go with it;
* queries made from random items, each with one change a citizen makes (``KINDS``): a piece of the
  title, a wrong character, a homophone, the two halves of a piece swapped, traditional characters,
  a keyword and a year, the title inside a long colloquial question, or the title's words and year
  where another title differs only in one digit of the year. The query's target is the item it
  was made from. The queries can be drawn with a seed of their own (``--query-seed``), so that a
  set held out from tuning can be made for the same catalogue.

Each engine is built and queried in a fresh process of its own (multiprocessing, spawn), so that
neither the others' data nor the parent's count against it. What is measured there:

* build: seconds to index the catalogue (ours: ``Matcher(knowledge)``, the small guide included);
* memory, from the process's resident set: "held" is the RSS after the build minus the RSS just
  before it (the interpreter, the libraries and the catalogue itself are in that baseline), "peak"
  the highest RSS during the build and the queries minus the same baseline, and "rss" the whole
  process's RSS once the queries are done, which is what the memory target is about. The peak is
  Linux's VmHWM, reset just before the build: ``getrusage``'s maxrss cannot be used, since a spawned
  child inherits in it the peak of the parent, which holds the whole workload;
* latency: each query timed alone with ``perf_counter_ns``, from the raw text to the top 10
  titles, after 50 warm-up queries (ours: ``CatalogueSearch(matcher, settings).search(q,
  limit=10)``, the service citizens use, with its default cut-off ``search_min_score``);
* top-1: the share of queries whose first hit is the target item or has the same title (titles
  repeat in a synthetic catalogue, and a citizen cannot tell two items of one title apart).

Ours also answers every question of ``tests/data/questions.csv`` with the guide (``Answerer.answer``),
timed the same way after one untimed pass. Run ``python -m bench.speed --help`` for the options.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import json
import math
import pickle
import random
import re
import sqlite3
import string
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import opencc
import psutil
import tantivy
from rapidfuzz import fuzz, process

from bot.config import Settings
from bot.evaluation import default_settings, read_labelled
from bot.knowledge import CatalogueItem, Knowledge, load
from bot.matching import Matcher, build_matcher, catalogue_file
from bot.services.answering import Answerer
from bot.services.catalogue import CatalogueSearch
from bot.textnorm import Normalizer

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
QUESTIONS = ROOT / "tests" / "data" / "questions.csv"

LIMIT = 10  # hits per query
WARMUP = 50  # untimed queries before the timed ones
MAX_QUERIES = {"rapidfuzz": 200}  # it scans every title: a quarter of a second a query on 100,000 items
KINDS = ("partial", "typo", "homophone", "reordered", "traditional", "keyword_year", "colloquial", "near_year")
# A kind that cannot be made from this many random items in a row is left out (a small catalogue
# may have no pair of titles that differ only in the year).
MAX_MISSES = 2_000
MB = 1 << 20

# What the issue asks of ours, as (label, result key, limit, unit).
TARGETS = (
    ("catalogue search p99", "p99_ms", 3.0, "ms"),
    ("guide answering p99", "guide_p99_ms", 15.0, "ms"),
    ("index build", "build_s", 3.0, "s"),
    ("index build, restarted", "restart_s", 3.0, "s"),
    ("resident memory", "rss_mb", 350.0, "MB"),
)

# --- The synthetic catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The words an agency's titles are made of."""

    fields: tuple[str, ...]  # what it oversees (领域)
    subjects: tuple[str, ...]  # whom it licenses and inspects (企业类型)
    permits: tuple[str, ...]  # what it licenses (许可)
    laws: tuple[str, ...]  # what it enforces (法规名)


@dataclass(frozen=True)
class Template:
    """A kind of catalogue item: its title and summary with {slots}, its category and column."""

    title: str
    category: str
    column: str
    summary: str


@dataclass(frozen=True)
class Agency:
    """A publisher of catalogue items."""

    short: str  # how titles name it
    publisher: str
    doc_prefix: str  # of its document numbers: 张安监发〔2012〕15号
    code: str  # of its index numbers
    years: range
    vocabulary: Vocabulary
    templates: tuple[Template, ...]


SAFETY = Vocabulary(
    fields=(
        "危险化学品",
        "烟花爆竹",
        "非煤矿山",
        "工贸行业",
        "有限空间作业",
        "粉尘防爆",
        "液氨制冷",
        "职业卫生",
        "消防安全",
        "人员密集场所",
        "重大危险源",
        "油气输送管道",
        "城镇燃气",
        "安全生产标准化",
        "双重预防体系",
        "隐患排查治理",
        "应急救援",
        "应急预案管理",
        "安全培训",
        "小微企业安全生产",
        "冶金企业",
        "危险废物",
        "动火作业",
        "外包施工",
        "防汛抗旱",
        "森林防火",
        "地质灾害防治",
        "防灾减灾",
        "应急物资储备",
    ),
    subjects=(
        "危险化学品经营企业",
        "危险化学品生产企业",
        "烟花爆竹零售点",
        "加油站",
        "非煤矿山企业",
        "化工企业",
        "冶金企业",
        "工贸企业",
        "小微企业",
        "涉爆粉尘企业",
        "液氨制冷企业",
        "建材企业",
        "机械制造企业",
        "纺织企业",
        "陶瓷企业",
        "物流仓储企业",
    ),
    permits=(
        "危险化学品经营许可证",
        "烟花爆竹经营（零售）许可证",
        "安全生产许可证",
        "非药品类易制毒化学品经营备案",
        "安全评价报告备案",
        "生产安全事故应急预案备案",
        "建设项目安全设施设计审查",
        "职业病危害项目申报",
        "特种作业操作证复审",
        "主要负责人安全资格证",
    ),
    laws=(
        "中华人民共和国安全生产法",
        "生产安全事故报告和调查处理条例",
        "山东省安全生产条例",
        "危险化学品安全管理条例",
        "烟花爆竹安全管理条例",
        "中华人民共和国职业病防治法",
        "安全生产事故隐患排查治理暂行规定",
        "生产经营单位安全培训规定",
        "工贸企业有限空间作业安全管理与监督暂行规定",
        "生产安全事故应急条例",
        "山东省生产经营单位安全生产主体责任规定",
        "中华人民共和国突发事件应对法",
        "中华人民共和国消防法",
    ),
)
HOUSING = Vocabulary(
    fields=(
        "建筑施工安全",
        "房屋安全",
        "物业管理",
        "老旧小区改造",
        "城市燃气",
        "建筑市场",
        "保障性住房",
        "扬尘治理",
        "建筑节能",
        "装配式建筑",
        "农村危房改造",
        "商品房预售",
        "工程质量",
        "深基坑工程",
        "建筑起重机械",
        "脚手架工程",
        "城市供热",
        "棚户区改造",
    ),
    subjects=(
        "建筑施工企业",
        "房地产开发企业",
        "物业服务企业",
        "工程监理单位",
        "预拌混凝土企业",
        "燃气经营企业",
        "施工图审查机构",
        "招标代理机构",
        "供热企业",
    ),
    permits=(
        "建筑工程施工许可证",
        "商品房预售许可证",
        "燃气经营许可证",
        "建筑业企业资质",
        "房地产开发企业资质",
        "施工图设计文件审查备案",
        "竣工验收备案",
        "建筑起重机械使用登记",
        "城市建筑垃圾处置核准",
    ),
    laws=(
        "中华人民共和国建筑法",
        "建设工程安全生产管理条例",
        "建设工程质量管理条例",
        "物业管理条例",
        "城镇燃气管理条例",
        "山东省物业管理条例",
        "住宅专项维修资金管理办法",
        "山东省建筑市场管理条例",
    ),
)
ENVIRONMENT = Vocabulary(
    fields=(
        "大气污染防治",
        "水污染防治",
        "土壤污染防治",
        "挥发性有机物治理",
        "扬尘污染防治",
        "机动车尾气",
        "危险废物",
        "重点排污单位",
        "环境影响评价",
        "排污许可",
        "饮用水水源地保护",
        "秸秆禁烧",
        "噪声污染防治",
        "燃煤锅炉整治",
        "黑臭水体整治",
        "环境信访",
        "重污染天气应急",
        "环境监测",
        "固体废物",
    ),
    subjects=(
        "重点排污单位",
        "化工企业",
        "涉挥发性有机物企业",
        "餐饮服务单位",
        "汽车维修企业",
        "医疗机构",
        "建设项目",
        "燃煤锅炉使用单位",
        "危险废物产生单位",
        "砖瓦窑企业",
    ),
    permits=(
        "排污许可证",
        "建设项目环境影响评价审批",
        "危险废物经营许可证",
        "辐射安全许可证",
        "环保设施竣工验收",
        "排污申报登记",
        "临时排污许可",
    ),
    laws=(
        "中华人民共和国环境保护法",
        "中华人民共和国大气污染防治法",
        "中华人民共和国水污染防治法",
        "中华人民共和国土壤污染防治法",
        "中华人民共和国固体废物污染环境防治法",
        "中华人民共和国环境影响评价法",
        "山东省环境保护条例",
        "排污许可管理条例",
    ),
)
MARKET = Vocabulary(
    fields=(
        "食品安全",
        "特种设备安全",
        "药品安全",
        "产品质量",
        "价格监督检查",
        "广告监管",
        "计量器具",
        "网络交易",
        "商标保护",
        "知识产权",
        "消费维权",
        "个体工商户",
        "企业年报",
        "电梯安全",
        "农贸市场",
        "餐饮服务食品安全",
        "校园食品安全",
        "保健食品",
        "化妆品",
        "医疗器械",
        "标准化",
    ),
    subjects=(
        "食品生产企业",
        "食品经营者",
        "餐饮服务单位",
        "药品零售企业",
        "特种设备使用单位",
        "电梯维保单位",
        "个体工商户",
        "农民专业合作社",
        "食品小作坊",
        "网络交易平台",
    ),
    permits=(
        "食品经营许可证",
        "食品生产许可证",
        "药品经营许可证",
        "特种设备使用登记",
        "营业执照",
        "工业产品生产许可证",
        "计量器具型式批准",
        "第二类医疗器械经营备案",
        "食品小作坊登记",
        "食品小摊点备案",
    ),
    laws=(
        "中华人民共和国食品安全法",
        "中华人民共和国特种设备安全法",
        "中华人民共和国药品管理法",
        "中华人民共和国产品质量法",
        "中华人民共和国消费者权益保护法",
        "中华人民共和国广告法",
        "中华人民共和国价格法",
        "中华人民共和国电子商务法",
        "山东省食品小作坊小餐饮和食品摊点管理条例",
        "市场主体登记管理条例",
    ),
)
EDUCATION = Vocabulary(
    fields=(
        "校园安全",
        "校车安全",
        "学前教育",
        "义务教育招生",
        "教师招聘",
        "中小学食堂",
        "课后服务",
        "学生资助",
        "校外培训机构治理",
        "防溺水安全教育",
        "教育督导",
        "中小学体育",
        "心理健康教育",
        "营养改善计划",
        "民办教育",
        "教育收费",
        "教师继续教育",
        "校园消防安全",
        "中考中招",
        "语言文字",
    ),
    subjects=("幼儿园", "中小学校", "民办学校", "校外培训机构", "托育机构", "职业学校", "特殊教育学校", "校车运营单位"),
    permits=(
        "民办学校办学许可证",
        "教师资格认定",
        "幼儿园设立审批",
        "校外培训机构审批",
        "学籍转接",
        "学生资助申请",
        "义务教育入学登记",
    ),
    laws=(
        "中华人民共和国教育法",
        "中华人民共和国义务教育法",
        "中华人民共和国教师法",
        "中华人民共和国未成年人保护法",
        "中华人民共和国民办教育促进法",
        "校车安全管理条例",
        "中小学幼儿园安全管理办法",
        "山东省义务教育条例",
        "学校食品安全与营养健康管理规定",
    ),
)

# Words every agency uses, by slot name.
SHARED: dict[str, tuple[str, ...]] = {
    "action": (
        "专项整治",
        "专项行动",
        "安全大检查",
        "隐患排查",
        "执法检查",
        "百日攻坚行动",
        "安全生产月活动",
        "宣传周活动",
        "集中整治",
        "督导检查",
        "联合执法",
        "回头看",
        "清理整顿",
        "自查自纠",
        "暗查暗访",
        "综合治理",
        "规范提升行动",
        "专项督查",
        "示范创建",
        "排查整治",
        "打非治违",
        "春季检查",
        "节前检查",
        "汛前检查",
        "冬季检查",
        "大排查大整治",
        "考核评比",
    ),
    "meeting": (
        "工作会议",
        "推进会",
        "调度会",
        "现场观摩会",
        "培训会",
        "座谈会",
        "部署会",
        "专题会议",
        "联席会议",
        "动员大会",
        "总结表彰大会",
        "警示教育大会",
        "约谈会",
    ),
    "place": (
        "车站街道",
        "公园街道",
        "和平街道",
        "科苑街道",
        "体育场街道",
        "杏园街道",
        "马尚街道",
        "湖田街道",
        "四宝山街道",
        "房镇镇",
        "傅家镇",
        "中埠镇",
        "南定镇",
        "沣水镇",
        "张店经济开发区",
        "东部化工区",
        "高新区",
    ),
    "report": (
        "政府信息公开工作年度报告",
        "工作总结",
        "工作要点",
        "部门预算",
        "部门决算",
        "法治政府建设情况报告",
        "权责清单",
        "行政执法统计年报",
        "双随机抽查工作计划",
        "三公经费使用情况",
        "重点工作任务分解方案",
        "政务服务事项清单",
        "依法行政工作报告",
    ),
    "roster": (
        "重点监管企业名单",
        "诚信企业名单",
        "失信联合惩戒对象名单",
        "示范单位名单",
        "达标企业名单",
        "随机抽查结果",
        "挂牌督办问题清单",
        "行政处罚案件信息",
        "培训考核合格人员名单",
    ),
    "season": (
        "元旦春节期间",
        "全国两会期间",
        "汛期",
        "高温季节",
        "国庆期间",
        "冬春季",
        "清明五一期间",
        "中秋国庆期间",
    ),
    "accident": ("中毒窒息", "火灾", "爆炸", "机械伤害", "高处坠落", "物体打击", "触电", "坍塌", "起重伤害", "灼烫"),
}
BRANDS = (
    "鑫源",
    "华泰",
    "恒通",
    "金晨",
    "东岳",
    "齐鲁",
    "博汇",
    "鲁泰",
    "宏达",
    "瑞丰",
    "永安",
    "隆盛",
    "海特",
    "信发",
    "天润",
    "正大",
    "万和",
    "金诺",
    "福瑞",
    "旭日",
    "盛世",
    "佳和",
    "昌盛",
    "兴业",
    "嘉禾",
    "润华",
    "中舜",
    "联创",
    "嘉信",
    "德润",
    "鸿运",
    "顺达",
    "国泰",
    "安泰",
    "凯盛",
    "宝鼎",
    "利华",
    "金岭",
    "博山",
    "周村",
)
TRADES = (
    "化工",
    "建材",
    "机械制造",
    "食品",
    "物流",
    "陶瓷",
    "纺织",
    "医药",
    "新材料",
    "商贸",
    "塑料制品",
    "金属制品",
    "耐火材料",
    "石油化工",
    "环保科技",
    "建筑工程",
    "房地产开发",
    "物业管理",
    "餐饮管理",
    "汽车销售",
)

TEMPLATES = (
    Template(
        "关于开展{field}{action}的通知",
        "业务工作",
        "公文公告",
        "部署在全区开展{field}{action}，明确工作目标、检查重点、时间安排和责任分工。",
    ),
    Template(
        "关于开展{field}{action}的通知（{doc}）",
        "业务工作",
        "公文公告",
        "要求各单位按照{action}实施方案，全面排查{field}方面存在的突出问题。",
    ),
    Template(
        "关于印发《{year}年{field}工作要点》的通知",
        "规划计划",
        "公文公告",
        "印发{year}年全区{field}工作要点，提出年度主要目标任务和保障措施。",
    ),
    Template(
        "关于进一步加强{field}工作的意见（{doc}）",
        "政策法规",
        "政策文件",
        "从落实主体责任、强化监督检查、完善工作机制等方面对加强{field}工作提出意见。",
    ),
    Template(
        "{year}年{month}月份全区{field}检查情况通报",
        "业务工作",
        "工作动态",
        "通报{month}月份全区{field}检查发现的主要问题和整改落实情况。",
    ),
    Template(
        "《{law}》宣贯会召开",
        "其他信息",
        "宣传培训",
        "{agency}组织召开《{law}》宣贯会，解读主要条款，部署学习贯彻工作。",
    ),
    Template(
        "关于转发《{law}》的通知（{doc}）",
        "政策法规",
        "政策文件",
        "转发《{law}》，要求各单位认真组织学习并抓好贯彻落实。",
    ),
    Template(
        "{subject}{permit}办理指南",
        "办事指南",
        "办事指南",
        "说明{subject}申请{permit}的受理条件、申请材料、办理流程和办结时限。",
    ),
    Template(
        "{place}召开{field}{meeting}",
        "其他信息",
        "工作动态",
        "{place}召开{field}{meeting}，总结前一阶段工作，安排部署下一步重点任务。",
    ),
    Template("{agency}{year}年{report}", "其他信息", "政务公开", "公布{agency}{year}年{report}全文，接受社会监督。"),
    Template(
        "{agency}对{place}{subject}开展{field}执法检查",
        "业务工作",
        "工作动态",
        "执法人员深入{place}{subject}，对{field}工作开展执法检查，现场督促整改发现的问题。",
    ),
    Template(
        "{company}行政处罚信息公示",
        "业务工作",
        "行政执法",
        "{company}因违反{field}有关规定，被{agency}依法给予行政处罚，现予公示。",
    ),
    Template(
        "关于公布{year}年度{field}{roster}的公告",
        "业务工作",
        "公示公告",
        "公布{year}年度全区{field}{roster}，接受社会监督。",
    ),
    Template(
        "{year}年度{field}监督检查计划",
        "规划计划",
        "规划计划",
        "明确{year}年度{field}监督检查的对象、内容、方式和频次。",
    ),
    Template(
        "全区{field}培训班举办",
        "其他信息",
        "宣传培训",
        "{agency}举办{field}培训班，对{subject}负责人和管理人员开展集中培训。",
    ),
    Template(
        "{agency}召开{year}年{field}{meeting}",
        "其他信息",
        "工作动态",
        "会议总结{year}年以来{field}工作，部署{action}等重点任务。",
    ),
    Template(
        "关于做好{season}{field}工作的通知",
        "业务工作",
        "公文公告",
        "要求各单位做好{season}{field}工作，加强值班值守，及时报告重要情况。",
    ),
    Template(
        "{field}{action}取得阶段性成效",
        "其他信息",
        "工作动态",
        "{action}开展以来，共检查{subject}{count}家，督促整改了一批问题隐患。",
    ),
    Template(
        "{agency}{field}专项应急预案（{year}年修订）",
        "规划计划",
        "应急管理",
        "规定{field}突发事件的组织指挥体系、预警、应急响应和保障措施。",
    ),
)
SAFETY_TEMPLATES = (
    Template(
        "{place}某{subject}“{month}·{day}”{accident}事故调查报告",
        "业务工作",
        "事故调查",
        "公布该起{accident}事故的经过、原因分析、责任认定和处理建议。",
    ),
    Template(
        "关于{year}年{month}月份全区生产安全事故情况的通报（{doc}）",
        "业务工作",
        "安全动态",
        "通报{month}月份全区生产安全事故起数和伤亡人数，分析事故特点。",
    ),
)

AGENCIES = (
    Agency(
        "区安监局",
        "张店区安全生产监督管理局",
        "张安监发",
        "ZDAJ",
        range(2008, 2019),
        SAFETY,
        TEMPLATES + SAFETY_TEMPLATES,
    ),
    Agency(
        "区应急管理局", "张店区应急管理局", "张应急发", "ZDYJ", range(2019, 2026), SAFETY, TEMPLATES + SAFETY_TEMPLATES
    ),
    Agency(
        "市安监局",
        "淄博市安全生产监督管理局",
        "淄安监发",
        "ZBAJ",
        range(2008, 2019),
        SAFETY,
        TEMPLATES + SAFETY_TEMPLATES,
    ),
    Agency("区住建局", "张店区住房和城乡建设局", "张建发", "ZDZJ", range(2008, 2026), HOUSING, TEMPLATES),
    Agency("区环保局", "张店区环境保护局", "张环发", "ZDHB", range(2008, 2019), ENVIRONMENT, TEMPLATES),
    Agency("区生态环境分局", "淄博市生态环境局张店分局", "张环分发", "ZDST", range(2019, 2026), ENVIRONMENT, TEMPLATES),
    Agency("区市场监管局", "张店区市场监督管理局", "张市监发", "ZDSJ", range(2014, 2026), MARKET, TEMPLATES),
    Agency("区教育局", "张店区教育局", "张教发", "ZDJY", range(2008, 2026), EDUCATION, TEMPLATES),
)
CATEGORY_CODES = {
    "机构职能": "00",
    "政策法规": "01",
    "规划计划": "02",
    "业务工作": "03",
    "办事指南": "04",
    "其他信息": "05",
}
# Slots whose word a citizen might search for with a year.
KEYWORD_SLOTS = ("field", "subject", "permit", "law", "place", "report", "roster", "accident", "action", "company")


def pick(slot: str, rng: random.Random, agency: Agency, year: int) -> str:
    """A random value of ``slot`` for an item of ``agency`` from ``year``."""
    match slot:
        case "agency":
            return agency.short
        case "year":
            return str(year)
        case "month":
            return str(rng.randint(1, 12))
        case "day":
            return str(rng.randint(1, 28))
        case "count":
            return str(rng.randint(12, 480))
        case "doc":
            return f"{agency.doc_prefix}〔{year}〕{rng.randint(1, 160)}号"
        case "company":
            return f"淄博{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司"
        case "field" | "subject" | "permit" | "law":
            return rng.choice(getattr(agency.vocabulary, slot + "s"))
        case _:
            return rng.choice(SHARED[slot])


def slots(template: str) -> list[str]:
    """The slot names of a template, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def make_item(rng: random.Random, serials: Counter[tuple[str, str, int]]) -> tuple[CatalogueItem, tuple[str, ...]]:
    """One random catalogue item, and the words of its title a citizen might search for."""
    agency = rng.choice(AGENCIES)
    template = rng.choice(agency.templates)
    year = rng.choice(agency.years)
    title_slots = slots(template.title)
    values = {name: pick(name, rng, agency, year) for name in dict.fromkeys(title_slots + slots(template.summary))}
    category = CATEGORY_CODES[template.category]
    serials[agency.code, category, year] += 1
    serial = serials[agency.code, category, year]
    item = CatalogueItem(
        index_no=f"{agency.code}-{category}-{year}-{serial:05d}",
        title=template.title.format(**values),
        category=template.category,
        column=template.column,
        date=(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))).isoformat(),
        publisher=agency.publisher,
        summary=template.summary.format(**values),
        link=f"http://www.{agency.code.lower()}.example/xxgk/{year}/{category}{serial:05d}.html",
    )
    return item, tuple(values[name] for name in title_slots if name in KEYWORD_SLOTS)


def make_catalogue(size: int, seed: int) -> tuple[list[CatalogueItem], list[tuple[str, ...]]]:
    """``size`` random items and, for each, its searchable title words."""
    rng = random.Random(f"{seed}:catalogue")
    serials: Counter[tuple[str, str, int]] = Counter()
    made = [make_item(rng, serials) for _ in range(size)]
    return [item for item, _ in made], [words for _, words in made]


# --- Queries ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """A query and the catalogue position of the item it was made from."""

    text: str
    kind: str
    target: int


def common_characters() -> list[str]:
    """The 3,755 commonest Chinese characters: level 1 of GB 2312 (rows 0xB0-0xD7)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # the last row ends early
                continue
    return chars


def toneless(reading: str) -> str:
    """A pinyin reading without its tone: zhōng -> zhong, lǜ -> lv."""
    plain = reading.translate(str.maketrans("üǖǘǚǜ", "vvvvv"))
    return "".join(c for c in unicodedata.normalize("NFD", plain) if not unicodedata.combining(c))


def homophone_table(chars: list[str]) -> dict[str, list[str]]:
    """For each character, the other characters of ``chars`` with its toneless pinyin."""
    # Imported here: pypinyin is large, and an engine's process must not have it loaded before
    # its baseline is taken, since ours loads it while building.
    from pypinyin import pinyin_dict

    sound = {}
    for ch in chars:
        readings = pinyin_dict.pinyin_dict.get(ord(ch))
        if readings:
            sound[ch] = toneless(readings.split(",")[0])
    by_sound: dict[str, list[str]] = {}
    for ch, syllable in sound.items():
        by_sound.setdefault(syllable, []).append(ch)
    return {ch: [other for other in by_sound[syllable] if other != ch] for ch, syllable in sound.items()}


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class Perturb:
    """The changes a citizen makes when searching for an item; each returns None where it cannot apply."""

    def __init__(self, titles: Collection[str] = ()) -> None:
        self.common = common_characters()
        self.homophones = homophone_table(self.common)
        self.s2t = opencc.OpenCC("s2t")
        self.titles = titles  # of the catalogue, to find titles that differ only in the year

    def __call__(self, kind: str, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str | None:
        return getattr(self, kind)(item, words, rng)

    def partial(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str:
        """A contiguous piece of 4 to 10 characters of the title."""
        length = min(rng.randint(4, 10), len(item.title))
        start = rng.randrange(len(item.title) - length + 1)
        return item.title[start : start + length]

    def typo(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str:
        """The title with one character replaced by a random common one."""
        at = rng.choice([i for i, ch in enumerate(item.title) if is_cjk(ch)])
        wrong = item.title[at]
        while wrong == item.title[at]:
            wrong = rng.choice(self.common)
        return item.title[:at] + wrong + item.title[at + 1 :]

    def homophone(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str | None:
        """The title with one character replaced by another of the same sound, as a pinyin IME does."""
        places = [i for i, ch in enumerate(item.title) if self.homophones.get(ch)]
        if not places:
            return None
        at = rng.choice(places)
        return item.title[:at] + rng.choice(self.homophones[item.title[at]]) + item.title[at + 1 :]

    def reordered(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str:
        """A piece of the title with its two halves swapped: 检查情况通报 -> 况通报检查情."""
        piece = self.partial(item, words, rng)
        half = len(piece) // 2
        return piece[half:] + piece[:half]

    def traditional(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str | None:
        """The title in traditional characters (None if it has none to convert)."""
        converted = self.s2t.convert(item.title)
        return converted if converted != item.title else None

    def keyword_year(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str | None:
        """One of the title's words and the item's year: 2015年危险化学品."""
        return f"{item.date[:4]}年{rng.choice(words)}" if words else None

    def colloquial(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str:
        """The title inside a long spoken question: 我想找一下那个关于2012年…的通知在哪看啊.

        Sometimes the year is said the short way (12年), as people say it.
        """
        core = item.title
        if rng.random() < 0.3:
            core = SAID_YEAR.sub(r"\1", core, count=1)
        opening = rng.choice(COLLOQUIAL_OPENINGS)
        if core.startswith("关于"):
            opening = opening.removesuffix("关于")
        return opening + core + rng.choice(COLLOQUIAL_ENDINGS)

    def near_year(self, item: CatalogueItem, words: tuple[str, ...], rng: random.Random) -> str | None:
        """The title's words and its year, where another title differs only in one digit of the year
        (2012 against 2013, or the two last digits swapped: 2021); None for any other item."""
        found = YEAR_IN_TITLE.search(item.title)
        # Not a title with a document number: without it, the query would fit every title of
        # that month or law alike (张安监发〔2012〕15号, 〔2012〕16号 ...).
        if not found or not found.group(2) or DOCUMENT_NUMBER.search(item.title):
            return None
        year = found.group(1)
        twins = [y for y in near_years(year) if item.title.replace(year, y) in self.titles]
        if not twins:
            return None
        rest = YEAR_IN_TITLE.sub("", DOCUMENT_NUMBER.sub("", item.title))
        rest = rest.removeprefix("关于").removesuffix("的通知") or rest
        forms = [f"{year}年{rest}", f"{rest} {year}"]
        if not rest[0].isdigit():  # 2021 and 10月份 written together would be another number
            forms.append(f"{year}{rest}")
        return rng.choice(forms)


# A year in a title, with the 年 (年度) after it when there is one: 2012年度, 〔2012〕.
YEAR_IN_TITLE = re.compile(r"(20[0-3]\d)(年度|年)?")
SAID_YEAR = re.compile(r"20(\d\d)(?=年)")  # 2012年 said as 12年
DOCUMENT_NUMBER = re.compile(r"（[^）]*〔\d+〕[^）]*）")
# How citizens open and close a question about a document: written apart from the matcher's own
# list of question frames, and with some that are in neither (领导让我找, 你们以前是不是出过一个).
COLLOQUIAL_OPENINGS = (
    "我想找一下那个关于",
    "请问有没有",
    "你好，帮我查一下",
    "我记得你们发过一个",
    "想看看那个",
    "麻烦帮忙找找",
    "有个文件叫",
    "请问在哪能找到",
    "我要查",
    "能不能帮我找下",
    "你们以前是不是出过一个",
    "领导让我找",
)
COLLOQUIAL_ENDINGS = (
    "在哪看啊",
    "在哪里能看到",
    "，有吗？",
    "怎么找不到了",
    "能发我一下吗",
    "去哪下载",
    "，谢谢！",
    "这个文件",
    "的全文在哪",
    "网上能查到吗",
    "",
)


def near_years(year: str) -> list[str]:
    """The years of the catalogue (2008-2025) that differ from ``year`` in one digit, or by two
    neighbouring digits swapped."""
    found = set()
    for at in range(len(year)):
        for digit in "0123456789":
            found.add(year[:at] + digit + year[at + 1 :])
        if at + 1 < len(year):
            found.add(year[:at] + year[at + 1] + year[at] + year[at + 2 :])
    return sorted(y for y in found if y != year and 2008 <= int(y) <= 2025)


def make_probes(
    items: list[CatalogueItem], words: list[tuple[str, ...]], count: int, rng: random.Random, perturb: Perturb
) -> list[Probe]:
    """``count`` queries from random items, the kinds taking turns so that every prefix is balanced."""
    probes: list[Probe] = []
    kinds = list(KINDS)
    misses: Counter[str] = Counter()
    while len(probes) < count and kinds:
        kind = kinds[len(probes) % len(kinds)]
        target = rng.randrange(len(items))
        text = perturb(kind, items[target], words[target], rng)
        if text:
            probes.append(Probe(text, kind, target))
            misses[kind] = 0
        else:
            misses[kind] += 1
            if misses[kind] >= MAX_MISSES:
                kinds.remove(kind)
    return probes


@dataclass(frozen=True)
class Workload:
    """What every engine is given: the knowledge (with the synthetic catalogue) and the queries."""

    knowledge: Knowledge
    probes: list[Probe]
    warmup: list[Probe]


def make_workload(items: int, queries: int, seed: int, query_seed: int | None = None) -> Workload:
    """The catalogue of ``seed`` and queries drawn with ``query_seed`` (by default ``seed``)."""
    catalogue, words = make_catalogue(items, seed)
    knowledge = dataclasses.replace(load(KNOWLEDGE), catalogue=tuple(catalogue))
    rng = random.Random(f"{seed if query_seed is None else query_seed}:queries")
    perturb = Perturb({item.title for item in catalogue})
    probes = make_probes(catalogue, words, queries, rng, perturb)
    return Workload(knowledge, probes, make_probes(catalogue, words, WARMUP, rng, perturb))


# --- Engines: each is built from the knowledge, and ``search`` returns the titles of the top hits --


class Ours:
    """Gongkai's matcher: an n-gram index of titles and details, the best rescored with rapidfuzz.

    Searched as citizens search it, through the catalogue service with its default cut-off: an
    item scoring below ``search_min_score`` is never shown, so it is no hit.
    """

    def __init__(self, knowledge: Knowledge, *, cold: bool = True) -> None:
        # As `gongkai run` builds it: the semantic signal on where it loads (the guide's
        # embeddings come from the cache after the first run). Cold, the catalogue's index is
        # built (its cached file, which only an earlier run of this bench wrote, removed first);
        # restarted, it is read back from the file the cold build wrote.
        settings = Settings()
        if cold:
            normalizer = Normalizer(knowledge.lexicon.synonyms, knowledge.lexicon.fillers)
            catalogue_file(knowledge.catalogue, normalizer, settings.embeddings_cache()).unlink(missing_ok=True)
        self.matcher = build_matcher(knowledge, settings)
        self.catalogue = CatalogueSearch(self.matcher, default_settings())

    def search(self, text: str) -> list[str]:
        return [hit.item.title for hit in self.catalogue.search(text, limit=LIMIT).hits]


class Fts5:
    """SQLite FTS5 with the trigram tokenizer over title and summary; the query is the OR of its trigrams."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, summary, tokenize='trigram')")
        self.db.executemany(
            "INSERT INTO docs (title, summary) VALUES (?, ?)", ((i.title, i.summary) for i in knowledge.catalogue)
        )
        self.db.execute("INSERT INTO docs (docs) VALUES ('optimize')")  # merge the b-trees of the bulk load
        self.db.commit()

    def search(self, text: str) -> list[str]:
        trigrams = dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2))
        if trigrams:
            expression = " OR ".join('"' + t.replace('"', '""') + '"' for t in trigrams)
            rows = self.db.execute(
                "SELECT title FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (expression, LIMIT)
            )
        else:  # the trigram tokenizer cannot match fewer than three characters
            pattern = f"%{text}%"
            rows = self.db.execute(
                "SELECT title FROM docs WHERE title LIKE ? OR summary LIKE ? LIMIT ?", (pattern, pattern, LIMIT)
            )
        return [title for (title,) in rows]


class RapidFuzz:
    """rapidfuzz's WRatio of the query against every title (no processor: it does nothing for Chinese)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.titles = [item.title for item in knowledge.catalogue]

    def search(self, text: str) -> list[str]:
        found = process.extract(text, self.titles, scorer=fuzz.WRatio, processor=None, limit=LIMIT)
        return [title for title, _, _ in found]


def bigrams(text: str) -> list[str]:
    """The character bigrams of ``text`` without its white space."""
    text = "".join(text.split())
    return [text[i : i + 2] for i in range(len(text) - 1)]


class Tantivy:
    """tantivy in RAM over the character bigrams of title and summary; the query is the OR of its bigrams.

    The writer uses one thread, like every other engine here.
    """

    def __init__(self, knowledge: Knowledge) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("grams", tokenizer_name="whitespace", index_option="freq")
        builder.add_unsigned_field("n", stored=True)
        self.schema = builder.build()
        index = tantivy.Index(self.schema)
        writer = index.writer(num_threads=1)
        for n, item in enumerate(knowledge.catalogue):
            doc = tantivy.Document()
            doc.add_unsigned("n", n)
            doc.add_text("grams", " ".join(bigrams(item.title) + bigrams(item.summary)))
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self.searcher = index.searcher()
        self.titles = [item.title for item in knowledge.catalogue]

    def search(self, text: str) -> list[str]:
        terms = dict.fromkeys(bigrams(text))
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "grams", term)) for term in terms]
        )
        hits = self.searcher.search(query, LIMIT, count=False).hits
        return [self.titles[self.searcher.doc(address)["n"][0]] for _, address in hits]


ENGINES: dict[str, Callable[[Knowledge], Any]] = {
    "ours": Ours,
    "fts5": Fts5,
    "rapidfuzz": RapidFuzz,
    "tantivy": Tantivy,
}

# --- Measuring, in the engine's own process ------------------------------------------------------------


def rss() -> int:
    return psutil.Process().memory_info().rss


def reset_peak_rss() -> None:
    """Make the process's peak RSS (VmHWM) its current RSS (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(call: Callable[[str], Any], texts: list[str]) -> tuple[list[float], list[Any]]:
    """Call ``call`` on each text; return each call's time in ms and its result."""
    times, results = [], []
    for text in texts:
        started = time.perf_counter_ns()
        results.append(call(text))
        times.append((time.perf_counter_ns() - started) / 1e6)
    return times, results


def guide_latency(matcher: Matcher) -> dict[str, float]:
    """p50 and p99 of answering the labelled questions with the guide, after one untimed pass."""
    answerer = Answerer(matcher, default_settings())
    questions = [row.question for row in read_labelled(QUESTIONS)]

    def answer_afresh(question: str) -> Any:
        # The Answerer remembers recent replies; what is measured here is answering itself.
        answerer.forget()
        return answerer.answer(question)

    # The first pass embeds every question (the semantic signal's cost for a question never
    # asked); the second finds the embeddings in memory, as a repeated question does.
    first, _ = timed(answer_afresh, questions)
    times, _ = timed(answer_afresh, questions)
    return {
        "guide_questions": len(questions),
        "guide_first_p50_ms": percentile(first, 0.5),
        "guide_first_p99_ms": percentile(first, 0.99),
        "guide_p50_ms": percentile(times, 0.5),
        "guide_p99_ms": percentile(times, 0.99),
    }


def measure(name: str, workload_file: str) -> dict[str, Any]:
    """Build one engine and time its queries; meant to run in a fresh process."""
    with open(workload_file, "rb") as f:
        workload: Workload = pickle.load(f)
    gc.collect()
    reset_peak_rss()
    baseline = rss()
    started = time.perf_counter()
    engine = ENGINES[name](workload.knowledge)
    build_s = time.perf_counter() - started
    held = rss() - baseline
    probes = workload.probes[: MAX_QUERIES.get(name)]
    timed(engine.search, [p.text for p in workload.warmup])
    times, results = timed(engine.search, [p.text for p in probes])
    catalogue = workload.knowledge.catalogue
    right = Counter(
        p.kind for p, found in zip(probes, results, strict=True) if found and found[0] == catalogue[p.target].title
    )
    asked = Counter(p.kind for p in probes)
    result = {
        "engine": name,
        "queries": len(probes),
        "build_s": build_s,
        "held_mb": held / MB,
        "p50_ms": percentile(times, 0.5),
        "p99_ms": percentile(times, 0.99),
        "top1": sum(right.values()) / len(probes),
        "top1_by_kind": {kind: right[kind] / asked[kind] for kind in KINDS if asked[kind]},
    }
    if name == "ours":
        result |= guide_latency(engine.matcher)
    peak = peak_rss()
    return result | {"peak_mb": (peak - baseline) / MB, "process_peak_mb": peak / MB, "rss_mb": rss() / MB}


def restart(workload_file: str) -> float:
    """Seconds to build ours again in a fresh process, as a restart does: the catalogue's index
    read back from the cache the first build wrote."""
    with open(workload_file, "rb") as f:
        workload: Workload = pickle.load(f)
    started = time.perf_counter()
    Ours(workload.knowledge, cold=False)
    return time.perf_counter() - started


def measure_apart(name: str, workload_file: str) -> dict[str, Any]:
    """:func:`measure` in a freshly spawned process."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, name, workload_file).result()


# --- Reporting ----------------------------------------------------------------------------------------


def describe(workload: Workload, seeds: str) -> list[str]:
    catalogue = workload.knowledge.catalogue
    titles = len({item.title for item in catalogue})
    lines = [
        f"catalogue: {len(catalogue)} synthetic items, {titles} distinct titles "
        f"({len(AGENCIES)} agencies, 2008-2025, {seeds}); {len(workload.probes)} queries, "
        f"{WARMUP} warm-up; at most {MAX_QUERIES['rapidfuzz']} queries for rapidfuzz",
        "query kinds, with an example of each:",
    ]
    examples = {p.kind: p for p in reversed(workload.probes)}
    for kind, probe in sorted(examples.items(), key=lambda kv: KINDS.index(kv[0])):
        lines.append(f"  {kind:<13} {probe.text}  <- {catalogue[probe.target].title}")
    return lines


def table(results: list[dict[str, Any]]) -> list[str]:
    head = f"{'engine':<10} {'queries':>7} {'build s':>8} {'held MB':>8} {'peak MB':>8} {'rss MB':>8} "
    head += f"{'p50 ms':>8} {'p99 ms':>8} {'top-1 %':>8}"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['engine']:<10} {r['queries']:>7} {r['build_s']:>8.2f} {r['held_mb']:>8.1f} {r['peak_mb']:>8.1f} "
            f"{r['rss_mb']:>8.1f} {r['p50_ms']:>8.3f} {r['p99_ms']:>8.3f} {100 * r['top1']:>8.1f}"
        )
    ours = next((r for r in results if r["engine"] == "ours"), None)
    if ours and "guide_p99_ms" in ours:
        lines.append(
            f"ours, guide answering ({ours['guide_questions']} questions of tests/data/questions.csv): "
            f"p50 {ours['guide_p50_ms']:.3f} ms, p99 {ours['guide_p99_ms']:.3f} ms (embeddings in memory); "
            f"asked for the first time p50 {ours['guide_first_p50_ms']:.3f} ms, p99 {ours['guide_first_p99_ms']:.3f} ms"
        )
    if ours and "restart_s" in ours:
        restarted = ours["restart_s"]
        lines.append(f"ours, restarted (the catalogue's index read from its cached file): build {restarted:.2f} s")
    return lines


def ratios(results: list[dict[str, Any]]) -> list[str]:
    ours = next((r for r in results if r["engine"] == "ours"), None)
    peers = [r for r in results if r["engine"] != "ours"]
    if ours is None or not peers:
        return []
    lines = [
        "peer / ours (above 1: ours is faster or smaller; top-1 in points, peer minus ours)",
        f"{'engine':<10} {'p99':>8} {'build':>8} {'held':>8} {'top-1 pts':>10}",
    ]
    for r in peers:
        lines.append(
            f"{r['engine']:<10} {r['p99_ms'] / ours['p99_ms']:>8.2f} {r['build_s'] / ours['build_s']:>8.2f} "
            f"{r['held_mb'] / max(ours['held_mb'], 1e-9):>8.2f} {100 * (r['top1'] - ours['top1']):>+10.1f}"
        )
    return lines


def by_kind(results: list[dict[str, Any]]) -> list[str]:
    lines = ["top-1 % by query kind", f"{'kind':<13}" + "".join(f" {r['engine']:>10}" for r in results)]
    for kind in KINDS:
        cells = "".join(f" {100 * r['top1_by_kind'][kind]:>10.1f}" for r in results if kind in r["top1_by_kind"])
        if not cells:
            continue
        lines.append(f"{kind:<13}{cells}")
    return lines


def targets(results: list[dict[str, Any]]) -> list[str]:
    ours = next((r for r in results if r["engine"] == "ours"), None)
    if ours is None:
        return []
    lines = ["targets of the issue, for ours"]
    for label, key, limit, unit in TARGETS:
        goal = f"<= {limit:g} {unit}"
        if key not in ours:
            continue
        verdict = "met" if ours[key] <= limit else "NOT MET"
        lines.append(f"  {label:<22} {goal:<10} {ours[key]:>9.3f} {unit:<2}  {verdict}")
    lines.append(
        f"  (memory is the whole process's RSS after the queries; its peak, during the build: "
        f"{ours['process_peak_mb']:.0f} MB)"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=100_000, help="catalogue items to generate")
    parser.add_argument("--queries", type=int, default=1000, help="timed queries per engine")
    parser.add_argument("--seed", type=int, default=1, help="seed of the catalogue and the queries")
    parser.add_argument(
        "--query-seed", type=int, help="another seed for the queries alone (default: --seed): a held-out set"
    )
    parser.add_argument("--only", choices=list(ENGINES), help="run this engine alone")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    args = parser.parse_args(argv)
    if args.items < 1 or args.queries < 1:
        parser.error("--items and --queries must be at least 1")
    workload = make_workload(args.items, args.queries, args.seed, args.query_seed)
    names = [args.only] if args.only else list(ENGINES)
    with tempfile.TemporaryDirectory() as folder:
        workload_file = str(Path(folder) / "workload.pickle")
        with open(workload_file, "wb") as f:
            pickle.dump(workload, f, protocol=pickle.HIGHEST_PROTOCOL)
        results = []
        for name in names:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            results.append(measure_apart(name, workload_file))
            if name == "ours":
                with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
                    results[-1]["restart_s"] = pool.submit(restart, workload_file).result()
    if args.json:
        report = {
            "items": args.items,
            "queries": args.queries,
            "seed": args.seed,
            "query_seed": args.seed if args.query_seed is None else args.query_seed,
            "results": results,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    seeds = f"seed {args.seed}" + ("" if args.query_seed is None else f", queries of seed {args.query_seed}")
    sections = [describe(workload, seeds), table(results), ratios(results), by_kind(results), targets(results)]
    print("\n\n".join("\n".join(lines) for lines in sections if lines))


if __name__ == "__main__":
    main()
