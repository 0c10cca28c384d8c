"""Every user-facing sentence, in one place (ready for translation). Plain text: channels escape it."""

from __future__ import annotations

WELCOME = (
    "您好，这里是{bureau_name}政府信息公开咨询服务。"
    "您可以直接提问（例如“申请信息公开要收费吗”），或输入关键词查找公开目录里的文件。"
)
PRIVACY = "为改进答复，我们会记录您的问题、答复结果和一个无法反推身份的匿名编号，不记录您的姓名和电话。"

SOURCE = "（依据：{source}）"
CLARIFY = "您想问的是下面哪一个？请回复序号："
CLARIFY_NONE = "都不是的话，请换个说法再问，或致电 {office_phone}。"
CLARIFY_BUTTONS = "您想问的是下面哪一个？请点选。" + CLARIFY_NONE
CLARIFY_CHOICE = "{number}. {title}"
FALLBACK = (
    "抱歉，这个问题我还不能确定怎么回答。您的问题已经记录，工作人员会据此完善答复。\n"
    "如果您在找某份公开文件，可以直接发送文件名里的关键词（例如“安全生产月”）。\n"
    "您也可以直接联系{office_name}：\n"
    "电话：{office_phone}\n电子邮箱：{office_email}\n地址：{office_address}\n办公时间：{office_hours}"
)
EMPTY = "请输入您想咨询的问题，例如“怎么申请政府信息公开”。"
TOO_LONG = "您的问题有点长，请用一两句话（{limit}字以内）说明想了解什么。"
COMPLAINT = (
    "您反映的情况属于投诉或举报，我们会认真对待。投诉、举报不按政府信息公开申请办理（《条例》第39条），请通过以下渠道反映：\n"
    "1. 本局监督投诉电话：{supervision_phone}\n"
    "2. 向上一级行政机关或区政府办公室（政府信息公开工作主管部门）投诉、举报（《条例》第47条、第51条）。\n"
    "如对具体答复不服，还可以依法申请行政复议或提起行政诉讼。"
)
TIPOFF = (
    "\n安全生产隐患和违法行为请拨打全国安全生产举报投诉电话 12350；正在发生的事故或险情请立即拨打 119、120 或 110。"
)

SEARCH_HEADER = "在公开目录中找到以下文件："
CATALOGUE_ANSWER_HEADER = "指南里没有直接的答案，公开目录中可能相关的文件："
CATALOGUE_ANSWER_FOOTER = "如果这些不是您要找的，请换个说法再问，或致电 {office_phone}。"
SEARCH_NONE = "没有在公开目录中找到与“{q}”相关的文件。可以换个关键词，或少输入几个字再试。"
SEARCH_HIT = "{number}. {title}\n   索引号 {index_no} · {date} · {category}{link}"

CHAT_INTRO = "输入问题后回车；以 / 开头的是命令：/search 关键词 查目录，/quit 退出。"
CHAT_BYE = "再见。"
CHAT_CHOICE_GONE = "没有这个序号，请重新提问或从上面的选项中选择。"

# --- Telegram ---
TG_COMMANDS = {
    "start": "开始使用",
    "guide": "政府信息公开指南",
    "catalogue": "浏览公开目录",
    "search": "搜索公开目录：/search 关键词",
    "contact": "信息公开工作机构联系方式",
    "help": "使用帮助",
    "cancel": "取消当前操作",
}
TG_HELP = (
    "可以这样使用：\n"
    "• 直接发送问题，例如“申请信息公开要收费吗”“多久答复”。\n"
    "• /guide 按栏目浏览政府信息公开指南。\n"
    "• /catalogue 按类别或网站栏目浏览公开目录。\n"
    "• /search 关键词 搜索公开目录，例如 /search 安全生产月。\n"
    "• 在任意聊天中输入 @{username} 关键词，可以直接查找并转发目录中的文件。\n"
    "• /contact 查看信息公开工作机构的联系方式。\n"
    "• /cancel 取消当前操作。"
)
CONTACT = (
    "{office_name}\n地址：{office_address}\n办公时间：{office_hours}\n"
    "电话：{office_phone}\n传真：{office_fax}\n电子邮箱：{office_email}\n监督投诉电话：{supervision_phone}"
)
CANCELLED = "已取消。您可以继续提问。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。您可以直接提问。"
GUIDE_SECTIONS = "政府信息公开指南，请选择栏目："
GUIDE_SECTION = "【{section}】请选择问题："
CATALOGUE_MENU = "公开目录共 {count} 条，请选择按类别或按网站栏目浏览："
CATALOGUE_BY_CATEGORY = "按类别"
CATALOGUE_BY_COLUMN = "按网站栏目"
CATALOGUE_LIST = "【{name}】共 {count} 条，第 {page}/{pages} 页："
SEARCH_USAGE = "请在 /search 后面加上关键词，例如：/search 安全生产月"
SEARCH_PAGE = "“{q}”的搜索结果，第 {page} 页："
SEARCH_EXPIRED = "这次搜索已过期，请重新发送 /search 关键词。"
PREVIOUS = "« 上一页"
NEXT = "下一页 »"
BACK = "« 返回"
NON_TEXT = "抱歉，我目前只能阅读文字消息。请用文字输入您的问题，或发送 /help 查看使用方法。"
THROTTLED = "您发送得有点快，请稍等几秒再继续提问。"
ERROR = "抱歉，处理您的消息时出了点问题，请稍后再试。如有急事请致电 {office_phone}。"
CHOICE_GONE = "这个选项已失效，请重新提问。"
INLINE_HINT = "输入关键词搜索公开目录"
INLINE_ITEM = "{title}\n索引号：{index_no}\n生成日期：{date}\n{link}"
