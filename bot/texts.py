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
    "如对具体答复不服，还可以依法申请行政复议或提起行政诉讼。\n"
    "如果反映的不是安全生产或本局的事，请拨打 12345 政务服务便民热线。"
)
TIPOFF = (
    "\n安全生产隐患和违法行为请拨打全国安全生产举报投诉电话 12350；正在发生的事故或险情请立即拨打 119、120 或 110。"
)

SEARCH_HEADER = "在公开目录中找到以下文件："
CATALOGUE_WITH_ANSWER_HEADER = "您要的信息可能已经公开，不必申请，公开目录中的相关文件："
YEAR_NOT_HELD = "我这里只有{held}的数字，没有{asked}的。各年度的数字以当年的政府信息公开工作年度报告为准："
MULTI_INTRO = "您一次问了{count}个问题，分别答复如下："
MULTI_PART = "【{number}】{question}\n{answer}"
MULTI_PART_MAYBE = "这一问您是想问“{title}”吗？请单独再问一次，我好确认；也可以致电 {office_phone}。"
MULTI_PART_UNSURE = "这一问我还不能确定怎么回答，请换个说法单独再问，或致电 {office_phone}。"

# For questions asked in English. The guide's English answers are in its entries (answer_en).
SOURCE_EN = "(Source: {source})"
ENGLISH_INTRO = "This answer is only available in Chinese for now:"
YEAR_NOT_HELD_EN = (
    "The figures I hold are for {held} only, not for {asked}. Each year's figures are in that year's annual report:"
)
CLARIFY_EN = "Which of these do you mean? Reply with its number:"
CLARIFY_NONE_EN = "If none of them, please ask in other words, or call {office_phone}."
FALLBACK_EN = (
    "Sorry, I am not sure how to answer that. Your question has been recorded so that staff can improve the "
    "answers. You can contact {office_name} directly: phone {office_phone}, e-mail {office_email}, "
    "address {office_address}, hours {office_hours}."
)
COMPLAINT_EN = (
    "What you describe is a complaint or a report, and we take it seriously. Complaints are not handled as "
    "requests for government information (Article 39 of the Regulations). Please call the bureau's supervision "
    "line {supervision_phone}, or complain to the higher authority (Articles 47 and 51)."
)
TIPOFF_EN = (
    " Work-safety hazards and violations can be reported to the national hotline 12350; for an accident "
    "happening now call 119, 120 or 110."
)
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
    "complaint": "投诉、举报",
    "status": "查询投诉办理进度：/status 编号",
    "help": "使用帮助",
    "cancel": "取消当前操作",
}
TG_STAFF_COMMANDS = {
    "complaints": "投诉清单：/complaints [open|overdue|new|accepted|replied|closed|all]",
    "reply": "答复市民：/reply 编号 内容",
    "note": "内部备注：/note 编号 内容",
    "close": "办结：/close 编号 [说明]",
    "reopen": "重新办理：/reopen 编号 理由",
}
TG_HELP = (
    "可以这样使用：\n"
    "• 直接发送问题，例如“申请信息公开要收费吗”“多久答复”。\n"
    "• /guide 按栏目浏览政府信息公开指南。\n"
    "• /catalogue 按类别或网站栏目浏览公开目录。\n"
    "• /search 关键词 搜索公开目录，例如 /search 安全生产月。\n"
    "• 在任意聊天中输入 @{username} 关键词，可以直接查找并转发目录中的文件。\n"
    "• /contact 查看信息公开工作机构的联系方式。\n"
    "• /complaint 提交投诉或举报，/status 编号 查询办理进度。\n"
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
WEB_FORM_TOO_FAST = "您提交得太快了，请稍等一分钟再提交。"
ERROR = "抱歉，处理您的消息时出了点问题，请稍后再试。如有急事请致电 {office_phone}。"
CHOICE_GONE = "这个选项已失效，请重新提问。"
INLINE_ITEM = "{title}\n索引号：{index_no}\n生成日期：{date}\n{link}"

# --- complaints (any channel) ---
CHANNELS = {"telegram": "Telegram", "wechat": "微信公众号", "web": "网站"}
COMPLAINT_OFFER = "如果您想向本局投诉、反映问题，可以在这里直接提交，我们会给您一个编号，用于查询办理进度。"
TIPOFF_OFFER = "您也可以在这里提交举报线索，我们会给您一个编号，用于查询办理进度。"
COMPLAINT_YES = "我要投诉"
TIPOFF_YES = "我要举报"
COMPLAINT_NO = "不用了"
COMPLAINT_DECLINED = "好的。如需投诉，随时发送 /complaint。"
FORM_WHAT = "请简要描述发生了什么（必填，{limit}字以内）：时间、地点、涉及的事项或文件。随时发送 /cancel 可取消。"
TIPOFF_HOTLINES = (
    "安全生产隐患和违法行为也可拨打全国安全生产举报投诉电话 12350；正在发生的事故或险情请立即拨打 119、120 或 110。"
)
FORM_WHAT_TIPOFF = TIPOFF_HOTLINES + "\n" + FORM_WHAT
FORM_WHAT_TEXT_ONLY = "请用文字描述您要反映的情况（暂不支持图片、语音和文件）。发送 /cancel 可取消。"
FORM_WHAT_TOO_LONG = "内容有点长（{length}字），请精简到{limit}字以内再发送。"
FORM_TOPIC = "您反映的事情主要涉及哪一方面？请点选："
FORM_TOPIC_BUTTONS = "请点选上面消息中的按钮之一，选择涉及的方面。发送 /cancel 可取消。"
CONTACT_WHY = (
    "为什么问：只用于办理这件事时联系您。如何保存：仅本局办理人员可见，"
    "在工作群和导出清单之外一律部分隐藏（如 138****5678），不会用于其他用途。"
)
FORM_CONTACT = (
    "如需工作人员与您联系核实，请发送姓名和电话，例如：张三 13812345678。不留也可以，请点“跳过”。\n" + CONTACT_WHY
)
FORM_SKIP = "跳过"
FORM_CONTACT_BAD_PHONE = "电话号码好像不完整，请发送手机号（11位）或带区号的固定电话，或点“跳过”。"
WEB_FORM_BAD_PHONE = "电话号码好像不完整，请发送手机号（11位）或带区号的固定电话，或留空。"
WEB_FORM_NO_TEXT = "请填写发生了什么。"
WEB_FORM_NO_TOPIC = "请选择涉及的方面。"
WEB_FORM_NO_CONTACT = "请填写姓名或电话，或都留空。"
FORM_NAME_TOO_LONG = "姓名请在{limit}字以内。"
FORM_CONTACT_TEXT_ONLY = "请用文字发送姓名和电话，或点“跳过”。"
FORM_SUMMARY = "请确认您的{kind}：\n\n事项：{topic}\n内容：{text}\n联系人：{contact}\n\n确认无误请点“提交”。"
FORM_NO_CONTACT = "未留联系方式"
FORM_SUBMIT = "提交"
FORM_CANCEL = "取消"
FORM_CONFIRM_BUTTONS = "请点“提交”或“取消”。"
FORM_EXPIRED = "这份表单已失效，请重新发送 /complaint。"
FILED = (
    "已收到您的{kind}，编号 {number}（请记下）。\n"
    "我们会在 {due} 前办理答复，答复会发送到这里。查询进度：/status {number}"
)
COMPLAINT_LIMITED = (
    "您提交投诉、举报的次数已达到上限（为防止滥用，每小时、每天可提交的件数有限），这一件没有提交。"
    "请在{at}以后再提交；情况紧急的，请直接拨打本局监督投诉电话：{supervision_phone}。"
)
STATUS_LIMITED = "查询次数太多了，请在{at}以后再查。如需帮助，请拨打本局监督投诉电话：{supervision_phone}。"
WHEN_TODAY = "今天 {time}"
WHEN_DAY = "{month}月{day}日 {time}"
STATUS_USAGE = "请在 /status 后面加上投诉编号，例如：/status 20261127-001-5"
STATUS_NOT_A_NUMBER = "“{typed}”不像投诉编号。编号形如 20261127-001-5，在提交成功的消息里。"
STATUS_MISTYPED = "编号 {typed} 好像输错了一位。您要查的是不是：{suggestions}？"
STATUS_MISTYPED_NONE = "编号 {typed} 好像输错了，请对照提交成功的消息再输入一次。"
STATUS_UNKNOWN = "没有找到编号为 {number} 的投诉，请核对后再试。"
STATUS = "{kind}编号 {number}\n状态：{status}\n提交时间：{created}\n办理期限：{due}"
STATUS_REPLY = "{at} {label}：{text}"
STATUS_OTHERS = "（答复内容只向提交人显示。）"
STATUS_OVERDUE = "{status}（已超期）"
CITIZEN_REPLIED = "您的{kind}（编号 {number}）有了答复：\n{text}"
CITIZEN_CLOSED = "您的{kind}（编号 {number}）已办结。{text}\n请您对办理结果作出评价："
RATED = "感谢您的评价（{rating}）。"
RATE_CHOOSE = "请选择一项评价。"
ONLY_STAFF = "这是工作人员使用的功能。如需查询您的投诉进度，请发送 /status 编号。"

# --- staff ---
STAFF_NEW = (
    "新{kind} {number}\n事项：{topic}\n提交：{created}（{channel}）\n期限：{due}\n内容：{text}\n联系人：{contact}"
)
STAFF_RECORD = (
    "{kind} {number}　{status}\n事项：{topic}\n提交：{created}（{channel}）\n期限：{due}\n"
    "联系人：{contact}\n满意度：{rating}\n内容：{text}"
)
STAFF_EVENT = "{at} {label}（{actor}）{text}"
STAFF_LIST = "{title}共 {total} 件，第 {page}/{pages} 页："
STAFF_LIST_ITEM = "{number}　{status}　期限 {due}　{text}"
STAFF_LIST_NONE = "没有{title}。"
STAFF_ACCEPT = "受理"
STAFF_REPLY = "回复"
STAFF_CLOSE = "办结"
STAFF_DONE = "{number} 已{label}。"
STAFF_REPLY_PROMPT = "请输入对 {number} 的答复（将发送给市民）。发送 /cancel 取消。"
STAFF_REPLY_SENT = "{number} 的答复已记录，正在发送给市民。"
STAFF_REPLY_TEXT_ONLY = "请用文字输入答复内容，或发送 /cancel 取消。"
NOT_THE_FILER = "只有提交人可以评价这件投诉。"
NOT_CLOSED_YET = "这件投诉还没有办结，办结后再请您评价。"
RATED_ALREADY = "您已经评价过了（{rating}），谢谢。"
ACTION_NEEDS_TEXT = "请写明内容。"
ACTION_NOT_ALLOWED = "{number} 当前状态为“{status}”，不能{action}。"
NO_SUCH_COMPLAINT = "没有编号为 {number} 的投诉。"
STATUS_CHOICES = "状态应为：{choices}"
EXPORT_COLUMNS = (
    "编号",
    "类型",
    "事项",
    "状态",
    "是否超期",
    "提交时间",
    "办理期限",
    "渠道",
    "姓名",
    "电话",
    "内容",
    "答复",
    "满意度",
)
EXPORT_YES, EXPORT_NO = "是", "否"
STAFF_USAGE = {
    "complaint": "用法：/complaint 编号",
    "note": "用法：/note 编号 备注内容",
    "reopen": "用法：/reopen 编号 重新办理的理由",
    "reply": "用法：/reply 编号 答复内容",
    "close": "用法：/close 编号 [办结说明]",
}

# --- the web chat and the staff console ---
WEB_TITLE = "{bureau_name} 政府信息公开咨询"
WEB_PLACEHOLDER = "请输入您的问题，例如：申请信息公开要收费吗"
WEB_SEND = "发送"
WEB_HINTS = ("申请信息公开要收费吗", "多久答复", "怎么申请", "/search 安全生产月")
WEB_STATUS_FOUND = "这是投诉编号 {number}。"
WEB_STATUS_LINK = "查看办理进度"
WEB_COMPLAINT_LINK = "填写{kind}表"
WEB_NOSCRIPT = "您的浏览器未启用 JavaScript：页面仍可正常提问，每次发送后会重新载入。"

# --- WeChat ---
# No buttons under a message on WeChat: the citizen replies with a number or a word instead.
WX_HELP = (
    "可以这样使用：\n"
    "• 直接发送问题，例如“申请信息公开要收费吗”“多久答复”。\n"
    "• 点下方菜单按栏目浏览政府信息公开指南，回复序号查看答复。\n"
    "• 发送文件名里的关键词（例如“安全生产月”），查找公开目录中的文件。\n"
    "• 发送“投诉”或“举报”在这里提交，发送“查询 编号”查询办理进度。\n"
    "• 发送“取消”退出当前操作。"
)
WX_MENU_HINT = "也可以点下方菜单按栏目浏览指南、提交投诉或查询进度；发送“帮助”查看使用方法。"
WX_NON_TEXT = "抱歉，我目前只能阅读文字消息。请用文字输入您的问题，或发送“帮助”查看使用方法。"
WX_GUIDE_SECTIONS = "政府信息公开指南，请回复栏目序号："
WX_GUIDE_SECTION = "【{section}】请回复问题序号："
WX_OFFER = "回复 1 在这里提交{kind}，回复 0 不用了。"
WX_DECLINED = "好的。如需投诉，随时发送“投诉”。"
WX_FORM_WHAT = "请简要描述发生了什么（必填，{limit}字以内）：时间、地点、涉及的事项或文件。随时回复“取消”可取消。"
WX_FORM_WHAT_TIPOFF = TIPOFF_HOTLINES + "\n" + WX_FORM_WHAT
WX_FORM_WHAT_TEXT_ONLY = "请用文字描述您要反映的情况（暂不支持图片、语音和文件）。回复“取消”可取消。"
WX_FORM_TOPIC = "您反映的事情主要涉及哪一方面？请回复序号："
WX_FORM_TOPIC_AGAIN = "请回复下面的序号之一，选择涉及的方面（回复“取消”可取消）："
WX_FORM_CONTACT = (
    "如需工作人员与您联系核实，请发送姓名和电话，例如：张三 13812345678。不留也可以，请回复“跳过”。\n" + CONTACT_WHY
)
WX_FORM_CONTACT_BAD_PHONE = "电话号码好像不完整，请发送手机号（11位）或带区号的固定电话，或回复“跳过”。"
WX_FORM_CONTACT_TEXT_ONLY = "请用文字发送姓名和电话，或回复“跳过”。"
WX_FORM_SUMMARY = (
    "请确认您的{kind}：\n\n事项：{topic}\n内容：{text}\n联系人：{contact}\n\n确认无误请回复 1 提交，回复 0 取消。"
)
WX_FORM_CONFIRM_AGAIN = "请回复 1 提交，或回复 0 取消。"
WX_FORM_BUSY = "您正在填写{kind}，请先完成，或回复“取消”退出。"
WX_FILED = (
    "已收到您的{kind}，编号 {number}（请记下）。\n"
    "我们会在 {due} 前办理答复，答复会发送到这里；也可以随时发送“查询 {number}”查看办理进度和答复。"
)
WX_STATUS_USAGE = "请发送“查询”加投诉编号，例如：查询 20261127-001-5"
WX_RATE = "回复序号评价：{choices}。"
WX_CUT = "……"
WX_MENU_GUIDE = ("办事指南", "更多指南")
WX_MENU_ALL_SECTIONS = "全部栏目"
WX_MENU_SERVICE = "投诉查询"
WX_MENU_STATUS = "查询进度"
WX_MENU_CONTACT = "联系方式"

# --- HTTP errors (any route: short, plain text, never a traceback) ---
HTTP_ERRORS = {
    400: "请求格式有误，请返回页面重新提交。",
    401: "需要登录。",
    403: "无权访问。",
    404: "页面不存在。",
    405: "不支持这种请求方式。",
    408: "请求超时，请重试。",
    413: "提交的内容太长了。",
    415: "不支持这种内容格式。",
    429: "请求太频繁，请稍后再试。",
    500: "抱歉，服务器出了点问题，请稍后再试。",
}
HTTP_ERROR_OTHER = "请求未能完成。"
HTTP_BAD_FORM = "表单内容有误（只接受文字，编码须为 UTF-8），请返回页面重新提交。"
HTTP_BAD_PAGE = "页码不对。"
STAFF_LOGIN_TOO_FAST = "登录尝试太频繁，请一分钟后再试。"
