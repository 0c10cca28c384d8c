"""Every user-facing sentence, in one place (ready for translation). Plain text: channels escape it."""

from __future__ import annotations

WELCOME = (
    "您好，这里是{bureau_name}政府信息公开咨询服务。"
    "您可以直接提问（例如“申请信息公开要收费吗”），或输入关键词查找公开目录里的文件。"
)
THANKS = "不客气。还有其他问题随时问我；也可以致电 {office_phone}。"
THANKS_EN = "You're welcome. Ask me anything else about the bureau's disclosure of information."
NOTED = "好的。还有其他问题随时问我；也可以致电 {office_phone}。"
NOTED_EN = "All right. Ask me anything else about the bureau's disclosure of information."
NOT_IT = (
    "抱歉，没有答到您想问的。请换个说法再问一次，把想了解的事说具体些（例如“申请公开要带哪些材料”"
    "“申请了多久能答复”“去年的检查结果在哪看”），我再试试；也可以致电 {office_phone}。"
)
NOT_IT_EN = (
    "Sorry, that was not what you asked. Please ask again in other words, saying what you want to know "
    '(for example "what do I need to apply" or "how long does a reply take"), or call {office_phone}.'
)
WELCOME_EN = "Hello! You may ask in English too, e.g. “Is there a fee to apply for information?”"
PRIVACY = (
    "为改进答复，我们会记录您的问题、答复结果和一个无法反推身份的匿名编号，提问时不记录您的姓名和电话；"
    "提交投诉或申请时填写的姓名和联系方式，只用于办理和答复。"
)
PRIVACY_EN = (
    "To improve the answers we record your question, how it was answered and an anonymous number that "
    "cannot be traced back to you; not your name or phone. The name and contact you give with a complaint "
    "or an application are used only to handle and answer it."
)
# Personal data erased: at the citizen's request, at the person's request by staff, when its time is up.
FORGET_DONE = (
    "已删除您此前 {count} 条提问的文字，只保留答复结果的统计（不含文字）。"
    "您提交的投诉、举报属于办理记录，不在此删除；如需删除其中的姓名和电话，请联系 {office_phone}。"
)
FORGET_NONE = "没有需要删除的提问记录。"
CONTACT_ERASED_EXPIRED = "办结满{days}天，按保存期限删除联系人姓名和电话"
CONTACT_ERASED_ON_REQUEST = "应本人要求删除联系人姓名和电话"
NO_CONTACT_TO_ERASE = "投诉 {number} 没有可删除的联系人信息。"
ERASE_NOT_CONFIRMED = "请先勾选“本人已提出删除要求”。"

SOURCE = "（依据：{source}）"
CLARIFY = "您想问的是下面哪一个？请回复序号："
CLARIFY_NONE = "都不是的话，可以回复“都不是”看看别的，或换个说法再问，或致电 {office_phone}。"
CLARIFY_BUTTONS = "您想问的是下面哪一个？请点选。" + CLARIFY_NONE
CLARIFY_CHOICE = "{number}. {title}"
# A list of one: the bot asks whether that is what was meant.
CLARIFY_ONE = "您是想问这个吗？是的话请回复 1："
ARTICLE_CITED = "《条例》第{article}条在这些答复里讲到："
ARTICLE_NOT_CITED = (
    "我的答复里没有讲到《条例》第{article}条。请直接写下您想问的事，例如“申请要收费吗”；"
    "也可以致电 {office_phone} 咨询。"
)
CLARIFY_ONE_NONE = "不是的话，可以回复“不是”看看别的，或换个说法再问，或致电 {office_phone}。"
CLARIFY_ONE_BUTTONS = "您是想问这个吗？是的话请点选。" + CLARIFY_ONE_NONE
# "不是这个" after an answer: the question's next likeliest entries, offered instead of it.
NOT_IT_CHOICES = "抱歉，没有答到您想问的。您问的“{question}”，是下面哪一个？请回复序号："
NOT_IT_NONE = "都不是的话，请换个说法再问，或致电 {office_phone}。"  # (都不是 again offers nothing more)
NOT_IT_CHOICES_BUTTONS = "抱歉，没有答到您想问的。您问的“{question}”，是下面哪一个？请点选。" + NOT_IT_NONE
FALLBACK = (
    "抱歉，这个问题我还不能确定怎么回答。您的问题已经记录，工作人员会据此完善答复。\n"
    "如果您在找某份公开文件，可以直接发送文件名里的关键词（例如“安全生产月”）；"
    "如果问的是别的部门的事（社保、户籍、证照办理等），请拨打12345政务服务便民热线。\n"
    "您也可以直接联系{office_name}：\n"
    "电话：{office_phone}\n电子邮箱：{office_email}\n地址：{office_address}\n办公时间：{office_hours}"
)
# A document asked for by name that the catalogue does not have (你们发过烟花爆竹禁放区域的通知没,
# 安全生产责任制考核办法): the plain reply would ask for the keywords the citizen just sent.
# ... and what is near it in the catalogue shown above, which may be what was meant.
CLARIFY_DOCUMENTS_HEADER = "如果您在找已公开的文件，目录中这几份可能相关："
NEAR_DOCUMENTS_HEADER = "公开目录中没有找到与您说的完全对应的文件，下面这几份可能相关："
# What the catalogue cannot have: another office's information (环评报告, 失信被执行人名单),
# which that office publishes (《条例》第10条).
ELSEWHERE_INFORMATION = (
    "本局公开的是安全生产监管方面的信息；环保、市场监管、民政、法院等其他部门的信息，由制作或保存它的部门公开"
    "（《条例》第10条），请到该部门查询或申请，不清楚归哪个部门的可拨打12345。"
)
FALLBACK_DOCUMENT_NEAR = (
    "如果都不是，可以换几个关键词再找；目录中没有的本局信息，可以向本局申请公开，发送“怎么申请”了解办法，"
    "也可以致电 {office_phone}。" + ELSEWHERE_INFORMATION + "您的问题已经记录，工作人员会据此完善答复。"
)
FALLBACK_DOCUMENT = (
    "抱歉，公开目录中没有找到您说的这份文件。您的问题已经记录，工作人员会据此完善答复。\n"
    "可以换几个关键词再找（例如“安全生产月”）；目录中没有的本局信息，可以向本局申请公开，"
    "发送“怎么申请”了解办法。\n" + ELSEWHERE_INFORMATION + "\n"
    "您也可以直接联系{office_name}：\n"
    "电话：{office_phone}\n电子邮箱：{office_email}\n地址：{office_address}\n办公时间：{office_hours}"
)
# A question that reads as another office's business (医保卡丢了咋补, 公租房怎么申请).
OTHER_BUSINESS = (
    "这个问题我这里还没有答复，看来是别的部门的业务：社保、医保、户籍、住房、交通、教育等事项，"
    "请拨打12345政务服务便民热线咨询。\n"
    "如果问的是本局的政府信息公开或安全生产方面的事，请换个说法再问，或致电 {office_phone}。"
    "您的问题已经记录，工作人员会据此完善答复。"
)
OTHER_PLACE = (
    "您问的是别的地方的部门吧？我只能答复{bureau_name}的政府信息公开事项，别处部门的联系方式和公开的信息，"
    "请查看当地政府的网站，或拨打当地的12345政务服务便民热线。\n"
    "如果您问的是本局，请直接问，例如“你们电话多少”。"
)
IMPLIED = "您问的应该是{subject}的事，按这个来回答："
# Asked how soon a complaint is answered (投诉多久有结果), the answer on following one's case says it
# first: the rest of that answer is how to look one up.
COMPLAINT_TAKES = "投诉、举报由工作人员受理后在{complaint_days}个工作日内答复，答复会发到您提交时的聊天窗口。"
COMPLAINT_TAKES_EN = (
    "Complaints and reports are answered within {complaint_days} working days of being accepted; the reply comes "
    "to the chat you filed it from."
)
OTHER_OFFICE = (
    "您反映的事情看来不归{bureau_name}管：本局受理的是对本局政府信息公开工作的投诉和安全生产方面的举报。"
    "快递、物业、消费、食品卫生等问题，请拨打12345政务服务便民热线（消费纠纷也可拨打12315）。\n"
    "如果您要投诉的正是本局的工作，请写明是哪件事、哪个窗口或哪份答复。"
)
NO_CHOICES = "现在没有待选的选项。请直接写下您的问题，例如“申请要收费吗”；查询投诉或申请的进度，请发送“查询 编号”。"
EMPTY = "请输入您想咨询的问题，例如“怎么申请政府信息公开”。"
ONLY_DIGITS = (
    "我只看到数字和符号，没有文字。请用文字写下您的问题，例如“申请要收费吗”；查询投诉或申请的进度，请发送“查询 编号”。"
)
NO_WORDS = "我没有看到文字。请用文字写下您想问的事，例如“申请信息公开要收费吗”“多久能答复”。"
NO_SENSE = (
    "我没看懂这串字母。请用一两句话写下您想问的事，例如“申请信息公开要收费吗”“多久能答复”。\n"
    "Please write your question in words, e.g. “Is there a fee to apply for information?”"
)
TOO_LONG_TO_FILE = "如果这是投诉或举报，请精简到{limit}字以内再发送，我会帮您提交。"
TOO_LONG = "您的问题有点长，请用一两句话（{limit}字以内）说明想了解什么。"
# The web chat, for a message longer than a question: never cut, carried into the complaint form.
WEB_LONG_MESSAGE = (
    "您的消息有{length}字，比一个问题长（提问请用一两句话，{question}字以内）。如果这是投诉或举报，"
    "请点下面的按钮用投诉表提交，您写的内容已经填在表里（最多{limit}字）；如果是提问，请简短些重新发送。"
)
WEB_LONG_MESSAGE_EN = (
    "Your message has {length} characters, more than a question ({question} at most). If it is a complaint or a "
    "report, file it with the button below: what you wrote is already in the form ({limit} characters at most). "
    "If it is a question, please send it again in a sentence or two."
)
WEB_TOO_LONG_MESSAGE = (
    "您的消息有{length}字，超过了{limit}字的上限，没有作为问题处理。如果这是投诉或举报，请点下面的按钮，"
    "您写的内容已经填在投诉表里，请精简到{limit}字以内再提交；如果是提问，请用一两句话重新发送。"
)
# A complaint (an overdue reply, a refusal, a rude clerk) or a report told without a hazard's words: where to
# complain, and the remedies against a reply (not 第39条, which is about complaints sent as applications).
COMPLAINT = (
    "您反映的情况属于投诉或举报，我们会认真对待。请通过以下渠道反映：\n"
    "1. 本局监督投诉电话：{supervision_phone}\n"
    "2. 对本局政府信息公开工作的投诉、举报，也可以向上一级行政机关或区政府办公室（政府信息公开工作主管部门）反映"
    "（《条例》第51条）。\n"
    "对本局的答复不服，或者超过期限没有答复，还可以自知道之日起60日内申请行政复议，或依法提起行政诉讼；"
    "决定不予公开的，须先申请复议（可问“怎么申请行政复议？期限多长？”）。\n"
    "如果反映的不是安全生产或本局的事，请拨打 12345 政务服务便民热线；"
    "偷排污水、废气等环境污染，可拨打 12369 环保举报热线。"
)
TIPOFF = (
    "\n安全生产隐患和违法行为请拨打全国安全生产举报投诉电话 12350；正在发生的事故或险情请立即拨打 119、120 或 110。"
)
# Under a complaint or tip-off that tells of someone hurt at work: the injured worker's own rights.
INJURED = (
    "\n有人在工作中受伤的：工伤认定、医疗费和工伤待遇，可咨询区人力资源和社会保障局（12333）；"
    "造成人员伤亡的生产安全事故，单位应当依法报告，不能私了瞒报，发现瞒报可拨打 12350 举报。"
)
INJURED_EN = (
    "\nIf someone was hurt at work: for recognition as a work injury, medical costs and benefits, ask the "
    "district human resources and social security bureau (12333); a work accident that injures or kills "
    "must be reported by the employer and may not be settled privately: a cover-up can be reported to 12350."
)
# A tip-off (a hazard or a violation told): where to report it first, and no word of appeals.
TIPOFF_REPLY = (
    "您反映的是安全生产隐患或违法行为，我们会认真对待。请通过以下渠道举报：\n"
    "1. 全国安全生产举报投诉电话：12350\n"
    "2. 本局监督投诉电话：{supervision_phone}\n"
    "正在发生的事故或险情，请立即拨打 119、120 或 110。\n"
    "如果反映的不是安全生产或本局的事，请拨打 12345 政务服务便民热线；"
    "偷排污水、废气等环境污染，可拨打 12369 环保举报热线。"
)

# What the bot did with a question, as the staff console names it (试一试, 现在能答复的).
OUTCOME_NAMES = {
    "answer": "直接答复",
    "clarify": "请市民选择",
    "fallback": "未能答复（说明没把握，留下联系方式）",
    "complaint": "按投诉、举报受理",
    "catalogue": "列出公开目录中的文件",
    "greeting": "当作问候、致谢",
    "invalid": "不是一个问题（空白或太长）",
}

SEARCH_HEADER = "在公开目录中找到以下文件："
YEAR_DOCUMENTS = "公开目录中{when}的文件共{count}件，最新的几件如下（发送关键词可以找具体的文件）："
YEAR_NO_DOCUMENTS = "公开目录中没有{when}发布的文件（目录中的文件发布于{held}年）。"
YEAR_IN_TITLES = "标题里有{year}年的："
YEAR_NOT_IN_CATALOGUE = "目录里没有的信息，可以向本局申请公开（可问“怎么申请信息公开？”），或致电 {office_phone}。"
# A short question after a licence's 办理指南 was found (多长时间能办下来, 收费吗): that guide again.
LICENCE_GUIDE = "{licence}要什么材料、多长时间、收不收费、到哪里办，以它的办理指南为准："
SEARCH_OTHER_YEARS = "公开目录中没有{asked}的这类文件，其他年份的相近文件如下："
CATALOGUE_WITH_ANSWER_HEADER = "您要的信息可能已经公开，不必申请，公开目录中的相关文件："
# Under an answer about one of the catalogue's categories (政策法规类公开了多少) or website columns
# (重大危险源): which documents they are; {listing} is CATEGORY_NAME or COLUMN_NAME.
CATEGORY_HEADER = "公开目录中的{listing}文件共{count}条，最新的{shown}条："
CATEGORY_HEADER_ALL = "公开目录中的{listing}文件共{count}条："
CATEGORY_HEADER_EN = "The catalogue lists {count} documents under {listing}; the newest {shown}:"
CATEGORY_HEADER_ALL_EN = "The catalogue lists {count} documents under {listing}:"
CATEGORY_NAME = "{category}类"
COLUMN_NAME = "“{column}”栏目"
# Under an answer that names the documents it is about (局领导的分工: the catalogue's 领导班子成员及分工).
DOCUMENTS_HEADER = "已公开的相关文件："
DOCUMENTS_HEADER_EN = "Published documents on this:"
YEAR_NOT_HELD = "我这里只有{held}的数字，没有{asked}的。各年度的数字以当年的政府信息公开工作年度报告为准："
# A question naming a year whose figures are held and one whose are not (2009年和2010年各公开了多少条).
YEAR_PARTLY_HELD = (
    "{asked}的数字我这里没有（各年度的以当年的政府信息公开工作年度报告为准，可问“{where}”），下面是{held}的："
)
YEAR_NOT_DUE = "{year}年的年度报告要到{by}年1月31日前公布（《条例》第49条），现在还没有。"
YEAR_DUE = "{year}年的年度报告应在{by}年1月31日前公布（《条例》第49条）。"
YEAR_DUE_OLD_RULES = "{year}年的年度报告应在{by}年3月31日前公布（当时适用的2007年《条例》第31条）。"
# A deadline question that names the day an application was received ("我10月8日交的，哪天到期").
RECKONED = (
    "按{received}收到申请算：20个工作日的答复期限到{due}为止（收到当天不算，周末、法定节假日已按国务院的安排扣除，"
    "调休上班日照常计算）；如依法延长，最多再延20个工作日，到{extended}。需要补正的，从收到补正后的申请之日起算；"
    "邮寄的以签收之日、网上提交的以确认之日为收到之日。"
)
# Under RECKONED when the period reaches a year whose holidays the bot does not know yet (the State
# Council's notice not yet out, or not yet entered): only its weekends and 元旦、五一、国庆 counted.
RECKONED_UNKNOWN_YEARS = (
    "注意：{years}的节假日安排本机器人尚未掌握，上面只扣除了周末和元旦、劳动节、国庆节的法定假日；"
    "如期限内有春节等其他假日，实际到期日会相应顺延，请以本局书面告知为准。"
)
WEEKDAYS = "一二三四五六日"
MULTI_INTRO = "您一次问了{count}个问题，分别答复如下："
MULTI_MORE = "一次最多答复{count}个问题。您还问了：{questions}。请再单独问一次，我接着答复。"
# A question asked beside a complaint, answered after it.
ALSO_ASKED = "您还问到“{question}”：\n{answer}"
MULTI_PART = "【{number}】{question}\n{answer}"
MULTI_PART_MAYBE = (
    "这一问我还不能确定。如果您想了解的是这个，可以问“{title}”；也可以换个说法单独再问，或致电 {office_phone}。"
)
MULTI_PART_UNSURE = "这一问我还不能确定怎么回答，请换个说法单独再问，或致电 {office_phone}。"
ALSO_ASKED_EN = 'You also asked "{question}":\n{answer}'
MULTI_INTRO_EN = "You asked {count} questions; here are the answers one by one:"
MULTI_MORE_EN = "I answer at most {count} questions at a time. You also asked: {questions}. Please ask again."
MULTI_PART_MAYBE_EN = (
    "I am not sure about this one. If this is what you mean, ask me “{title}”; or ask it on its own in other "
    "words, or call {office_phone}."
)
MULTI_PART_UNSURE_EN = (
    "I am not sure how to answer this one: please ask it on its own in other words, or call {office_phone}."
)

# For questions asked in English. The guide's English answers are in its entries (answer_en).
SOURCE_EN = "(Source: {source})"
ENGLISH_INTRO = "This answer is only available in Chinese for now:"
YEAR_NOT_HELD_EN = (
    "The figures I hold are for {held} only, not for {asked}. Each year's figures are in that year's annual report:"
)
YEAR_PARTLY_HELD_EN = (
    "I hold no figures for {asked} (each year's are in that year's annual report: ask \"{where}\"). Those for {held}:"
)
CLARIFY_EN = "Which of these do you mean? Reply with its number:"
CLARIFY_NONE_EN = 'If none of them, reply "none of these" to see others, ask in other words, or call {office_phone}.'
CLARIFY_BUTTONS_EN = "Which of these do you mean? Tap one. " + CLARIFY_NONE_EN
CLARIFY_ONE_EN = "Did you mean this? If so, reply 1:"
CLARIFY_ONE_NONE_EN = 'If not, reply "that\'s not it" to see others, ask in other words, or call {office_phone}.'
CLARIFY_ONE_BUTTONS_EN = "Did you mean this? If so, tap it. " + CLARIFY_ONE_NONE_EN
NOT_IT_CHOICES_EN = 'Sorry, I missed. Which of these did you mean by "{question}"? Reply with its number:'
NOT_IT_NONE_EN = "If none of them, please ask in other words, or call {office_phone}."
NOT_IT_CHOICES_BUTTONS_EN = 'Sorry, I missed. Which of these did you mean by "{question}"? Tap one. ' + NOT_IT_NONE_EN
FALLBACK_EN = (
    "Sorry, I am not sure how to answer that. Your question has been recorded so that staff can improve the "
    "answers. If it is another office's business (social insurance, residence, visas, licences and the like), "
    "please call the 12345 government service hotline. You can contact {office_name} directly: phone "
    "{office_phone}, e-mail {office_email}, address {office_address}, hours {office_hours}."
)
OTHER_BUSINESS_EN = (
    "I have no answer to that here, and it seems to be another office's business: for social insurance, "
    "health insurance, household registration, housing, transport, schools and the like, please call the "
    "12345 government service hotline. If your question is about this bureau's disclosure of information or "
    "work safety, please ask it in other words or call {office_phone}. Your question has been recorded so "
    "that staff can improve the answers."
)
COMPLAINT_EN = (
    "What you describe is a complaint, and we take it seriously. Please call the bureau's supervision line "
    "{supervision_phone}, or complain to the higher authority or the district government's office, which "
    "oversees disclosure work (Article 51 of the Regulations).\n"
    "If you disagree with a reply you were given, or got none in time, you may also apply for administrative "
    "review within 60 days of learning of it, or bring a lawsuit; against a refusal to disclose, review comes "
    "first.\n"
    "If it is not about work safety or the bureau, please call the 12345 government service hotline; "
    "pollution (waste water or fumes discharged) goes to the environmental hotline 12369."
)
# Above any reply to a message that tells of a danger happening now (着火了, 有人被困).
EMERGENCY = (
    "如果险情正在发生，请立即拨打 119（火警）、120（急救）或 110（报警），并先到安全的地方。"
    "本服务不能派人到场，也不能代为报警。"
)
EMERGENCY_EN = (
    "If this is happening now, call 119 (fire), 120 (ambulance) or 110 (police) at once and get to safety. "
    "This service cannot send anyone or call for you."
)
TIPOFF_REPLY_EN = (
    "What you describe is a work-safety hazard or violation, and we take it seriously. Please report it to the "
    "national work-safety hotline 12350, or to the bureau's supervision line {supervision_phone}. If it is "
    "happening now, call 119 (fire), 120 (ambulance) or 110 (police). Pollution (waste water or fumes "
    "discharged) goes to the environmental hotline 12369."
)
TIPOFF_EN = (
    " Work-safety hazards and violations can be reported to the national hotline 12350; for an accident "
    "happening now call 119, 120 or 110."
)
# An English question looked up in the catalogue in its Chinese terms (see english.chinese_terms).
ENGLISH_DOCUMENTS = "These documents in the bureau's catalogue (in Chinese) look like what you are asking about:"
ENGLISH_LICENCE_GUIDE = (
    "The service guide for this licence (in Chinese) says what it takes, how long, what it costs and where to apply:"
)
# Under documents found: what is not among them may be applied for (《条例》第27条).
CATALOGUE_ANSWER_FOOTER_EN = (
    "If these are not what you are looking for, please ask in other words; information that is not in the "
    "catalogue can be applied for (ask me “How do I apply for information?”), or call {office_phone}."
)
CATALOGUE_ANSWER_FOOTER = (
    "如果这些不是您要找的，请换个说法再问；目录里没有的信息，可以向本局申请公开（可问“怎么申请信息公开？”），"
    "或致电 {office_phone}。"
)
SEARCH_NONE = "没有在公开目录中找到与“{q}”相关的文件。可以换个关键词，或少输入几个字再试。"
SEARCH_KEYWORD = "请输入要在公开目录中查找的关键词，例如：安全生产月。"
SEARCH_HIT = "{mark} {title}\n   索引号 {index_no} · {date} · {category}{link}"

CHAT_INTRO = "输入问题后回车；以 / 开头的是命令：/search 关键词 查目录，/forget 删除提问记录，/quit 退出。"
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
    "apply": "申请政府信息公开",
    "status": "查询投诉或申请的办理进度：/status 编号",
    "help": "使用帮助",
    "cancel": "取消当前操作",
    "forget": "删除我提问的文字记录",
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
    "• /forget 删除您提问的文字记录。\n"
    "• 在任意聊天中输入 @{username} 关键词，可以直接查找并转发目录中的文件。\n"
    "• /contact 查看信息公开工作机构的联系方式。\n"
    "• /complaint 提交投诉或举报，/apply 申请政府信息公开，/status 编号 查询办理进度。\n"
    "• /cancel 取消当前操作。"
)
CONTACT = (
    "{office_name}\n地址：{office_address}\n办公时间：{office_hours}\n"
    "电话：{office_phone}\n传真：{office_fax}\n电子邮箱：{office_email}\n监督投诉电话：{supervision_phone}"
)
CANCELLED = "已取消。您可以继续提问。"
CANCELLED_COMPLAINT_DRAFT = "已取消您填写了还没有提交的投诉或举报，它不会被提交。您可以继续提问。"
CANCELLED_APPLICATION_DRAFT = "已取消您填写了还没有提交的申请，它不会被提交。您可以继续提问。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。您可以直接提问。"
NOTHING_TO_CANCEL_EN = "Nothing is in progress to cancel. Ask me anything about the bureau's disclosure of information."
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
WEB_THROTTLED = "您发送得有点快，这个问题还没有答复。请过一分钟再发送一次。"  # the web's limit counts a minute
WX_THROTTLED = WEB_THROTTLED  # and so does WeChat's
WEB_FORM_TOO_FAST = "您提交得太快了，请稍等一分钟再提交。"
ERROR = "抱歉，处理您的消息时出了点问题，请稍后再试。如有急事请致电 {office_phone}。"
CHOICE_GONE = "这个选项已失效，请重新提问。"
INLINE_ITEM = "{title}\n索引号：{index_no}\n生成日期：{date}\n{link}"

# --- complaints (any channel) ---
CHANNELS = {"telegram": "Telegram", "wechat": "微信公众号", "web": "网站", "console": "终端", "staff": "工作人员登记"}
STAFF_CHANNEL_UNSENT = (
    "这件{kind}来自{channel}，但本服务现在不向{channel}发送消息（未配置发送，例如微信公众号的 AppSecret）："
    "答复和办结通知不会送达市民。请电话联系，或请管理员完成配置。"
)
# Who did a step, as the record writes it (citizen, system, web:wangli, cli:wangli, tg:12345).
ACTORS = {"citizen": "市民", "system": "系统"}
ACTOR_VIA = {"web": "工作台", "cli": "命令行", "tg": "Telegram", "telegram": "Telegram", "wechat": "微信"}


def actor_label(actor: str) -> str:
    """A step's actor in words a clerk reads: 市民, 系统, wangli（工作台）."""
    if actor in ACTORS:
        return ACTORS[actor]
    via, _, name = actor.partition(":")
    return f"{name}（{ACTOR_VIA[via]}）" if name and via in ACTOR_VIA else actor


COMPLAINT_OFFER = "如果您想向本局投诉、反映问题，可以在这里直接提交，我们会给您一个编号，用于查询办理进度。"
TIPOFF_OFFER = "您也可以在这里提交举报线索，我们会给您一个编号，用于查询办理进度。"
COMPLAINT_OFFER_EN = (
    "If you wish to complain to the bureau, you can file it here and get a tracking number to follow it "
    "(the form's steps are in Chinese; you may write in English)."
)
TIPOFF_OFFER_EN = (
    "You can also report it here and get a tracking number to follow it "
    "(the form's steps are in Chinese; you may write in English)."
)
COMPLAINT_YES_EN = "File a complaint"
TIPOFF_YES_EN = "Report it"
COMPLAINT_NO_EN = "No, thanks"
COMPLAINT_YES = "我要投诉"
TIPOFF_YES = "我要举报"
COMPLAINT_NO = "不用了"
COMPLAINT_DECLINED = "好的。如需投诉，随时发送 /complaint。"
FORM_TOLD = "好的，您刚才发来的话就是{kind}的内容，不用再写一遍；提交前会请您确认。"
FORM_WHAT = "请简要描述发生了什么（必填，{limit}字以内）：时间、地点、涉及的事项或文件。随时发送 /cancel 可取消。"
TIPOFF_HOTLINES = (
    "安全生产隐患和违法行为也可拨打全国安全生产举报投诉电话 12350；正在发生的事故或险情请立即拨打 119、120 或 110。"
)
FORM_WHAT_TIPOFF = TIPOFF_HOTLINES + "\n" + FORM_WHAT
FORM_WHAT_TEXT_ONLY = "请用文字描述您要反映的情况（暂不支持图片、语音和文件）。发送 /cancel 可取消。"
FORM_WHAT_TOO_LONG = "内容有点长（{length}字），请精简到{limit}字以内再发送。"
FORM_TOPIC = "您反映的事情主要涉及哪一方面？请点选："
# The topic the complaint's words point to (窗口态度差: 工作人员作风), said before the topics and
# marked among them; the citizen still chooses.
FORM_TOPIC_SUGGESTED = "看内容像是“{topic}”方面的，是的话请点它（已用 ✓ 标出），不是请点别的。"
FORM_TOPIC_MARK = "✓ {label}"
FORM_TOPIC_BUTTONS = "请点选上面消息中的按钮之一，选择涉及的方面。发送 /cancel 可取消。"
CONTACT_WHY = (
    "为什么问：只用于办理这件事时联系您核实。如何保存：仅本局办理人员可见，"
    "在工作群和办理清单中部分隐藏（如 138****5678），不会用于其他用途。"
)
FORM_CONTACT = (
    "如需工作人员与您联系核实，请发送姓名和电话，例如：张三 13812345678。不留也可以，请点“跳过”。\n" + CONTACT_WHY
)
FORM_SKIP = "跳过"
FORM_DETAIL_ADDED = "这段话已补充到您的投诉内容里。"
FORM_CONTACT_BAD_PHONE = "电话号码的位数好像不对，请发送手机号（11位）或带区号的固定电话，或点“跳过”。"
WEB_FORM_BAD_PHONE = (
    "电话号码的位数好像不对：请填写手机号（11位），或带区号的固定电话（如 0533-2181234，分机写在后面，"
    "如 0533-2181234转801），或留空，再点“下一步”提交。"
)
# The same, for an application, on every channel (the chat and the terminal have no 下一步 to click).
APPLY_BAD_PHONE = (
    "电话号码的位数好像不对：请写手机号（11位），或带区号的固定电话（如 0533-2181234，分机写在后面，"
    "如 0533-2181234转801）。"
)
WEB_FORM_NO_TEXT = "请填写发生了什么。"
WEB_FORM_TOO_LONG = "内容有点长（{length}字），请精简到{limit}字以内再提交。"
WEB_FORM_NO_TOPIC = "请在所选类型（投诉或举报）下面选择涉及的方面：两者的分类不同。"
# The complaint page's lead: where the reply will be found (the chat at /, and /status by number).
WEB_COMPLAINT_LEAD = (
    "投诉、举报不按政府信息公开申请办理（《条例》第39条）。提交后您会得到一个编号：工作人员的答复会显示在"
    "首页“咨询”的对话窗口里，也可以凭编号在“进度查询”页查看（答复内容只在您提交时所用的浏览器中显示）。"
)
WEB_TOPIC_GROUP = "{kind}涉及"
WEB_FILED_WHERE = "答复会显示在首页“咨询”的对话窗口里，也可以凭编号在“进度查询”页查看。"
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
STATUS_USAGE = "请在 /status 后面加上投诉或申请的编号，例如：/status 20261127-001-6"
STATUS_NOT_A_NUMBER = (
    "“{typed}”不像投诉或申请的编号。投诉编号形如 20261127-001-6，申请编号形如 申20261127-0001-7，在提交成功的消息里。"
)
STATUS_MISTYPED = "编号 {typed} 好像输错了一位。您要查的是不是：{suggestions}？"
STATUS_MISTYPED_NONE = "编号 {typed} 好像输错了，请对照提交成功的消息再输入一次。"
STATUS_UNKNOWN = "没有找到编号为 {number} 的投诉，请核对后再试。"
STATUS = "{kind}编号 {number}\n状态：{status}\n提交时间：{created}\n办理期限：{due}"
OWN_CASES = "您在这里提交过（发送编号可以看详情）："
OWN_COMPLAINT = "• {kind} {number}：{status}，办理期限 {due}"
OWN_APPLICATION = "• 申请 {number}：{status}，答复期限 {due}"
STATUS_REPLY = "{at} {label}：{text}"
STATUS_OTHERS = "（答复内容只向提交人显示。）"
STATUS_OVERDUE = "{status}（已超期）"
CITIZEN_REPLIED = "您的{kind}（编号 {number}）有了答复：\n{text}"
CITIZEN_CLOSED = "您的{kind}（编号 {number}）已办结。{text}\n请您对办理结果作出评价："
# The closing's note, labelled under it (a note of 已办结 read "已办结。已办结").
CITIZEN_CLOSING_NOTE = "\n办结说明：{text}"
RATED = "感谢您的评价（{rating}）。"
RATED_UNSATISFIED = (
    "\n您的评价会反馈给办理人员。如仍有问题，可以再次提交投诉并写明原编号，或拨打本局监督投诉电话 {supervision_phone}；"
    "也可以向上一级行政机关或区政府办公室（政府信息公开工作主管部门）投诉、举报（《条例》第47条）。"
)
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
ACTION_TEXT_TOO_LONG = "内容有{length}字，超过了{limit}字的上限，没有保存，请删减后再提交。"
ACTION_NOT_ALLOWED = "{number} 当前状态为“{status}”，不能{action}。"
NO_SUCH_COMPLAINT = "没有编号为 {number} 的投诉。"
STATUS_CHOICES = "状态应为：{choices}"
# The complaints' 台账 (ledger), in XLSX and CSV: each column's header, by the column's key.
EXPORT_COLUMNS = {
    "number": "编号",
    "kind": "类型",
    "topic": "事项",
    "channel": "渠道",
    "filed": "提交时间",
    "name": "姓名",
    "phone": "电话",
    "text": "内容",
    "status": "状态",
    "overdue": "是否超期",
    "due": "办理期限",
    "accepted": "受理时间",
    "accepted_by": "受理人",
    "replied": "答复时间",
    "replied_by": "答复人",
    "replies": "答复内容",
    "closed": "办结时间",
    "closed_by": "办结人",
    "closing": "办结说明",
    "rating": "满意度",
}
EXPORT_YES, EXPORT_NO = "是", "否"
EXPORT_TITLE = "{bureau}投诉举报台账"
EXPORT_SHEET = "台账"
EXPORT_SUBTITLE = "筛选：{filters}　共 {count} 件　导出于 {at}"
EXPORT_FILE = "投诉台账-{day}.{ext}"  # day: YYYYMMDD
# The status filter of the list and the export, as the list's menu names it.
STATUS_FILTERS = {"open": "未办结", "overdue": "已超期", "all": "全部"}
EXPORT_FILTER_DAYS = "{since}至{until}"
EXPORT_FILTER_SEARCH = "含“{q}”"
EXPORT_REPLY_AT = "[{at}] {text}"  # one of several replies, with its time
STAFF_USAGE = {
    "complaint": "用法：/complaint 编号",
    "note": "用法：/note 编号 备注内容",
    "reopen": "用法：/reopen 编号 重新办理的理由",
    "reply": "用法：/reply 编号 答复内容",
    "close": "用法：/close 编号 [办结说明]",
}

# --- applications for information (依申请公开), any channel and the staff tools ---
APPLICATION_STATUS = "政府信息公开申请 {number}\n状态：{status}\n收到申请：{received}\n答复期限：{due}"
APPLICATION_NO_DUE = "待补正后重新计算"
APPLICATION_STATUS_CORRECTION_ASKED = "需要补正的内容：{text}"
APPLICATION_STATUS_CORRECTING = (
    "请在 {by} 前补正申请（补正后重新计算20个工作日）：在网站的进度查询页填写，或发送“补正 申请编号 补正内容”。"
)
APPLICATION_STATUS_EXTENDED = "答复期限已依法延长{days}个工作日。"
APPLICATION_STATUS_DECIDED = "{day} 已答复：{decision}"
NO_SUCH_APPLICATION = "没有编号为 {number} 的政府信息公开申请。"
APPLICATION_BAD_VIA = "收到方式应为：{choices}"
APPLICATION_FUTURE_DAY = "日期 {day} 还没到，不能登记为已发生。"
APPLICATION_BEFORE_REGULATIONS = "日期 {day} 早于《条例》施行之日（{since}），请核对收到申请的日期。"
APPLICATION_BEFORE_RECEIPT = "日期 {day} 早于收到申请之日 {received}。"
APPLICATION_BEFORE_LAST = "日期 {day} 早于这件申请上一步办理的日期 {last}，请核对。"
APPLICATION_DECIDED = "{number} 已经答复，不能再办理。"
APPLICATION_CORRECTION_ONCE = "补正告知只能发一次（《条例》第30条：一次性告知需要补正的事项）。"
APPLICATION_CORRECTION_LATE = (
    "补正告知应在收到申请之日起{days}个工作日内发出（《条例》第30条），最后一日为 {last}，已经过了。"
)
APPLICATION_CORRECTION_BY = "补正期限应晚于告知之日 {day}。"
APPLICATION_CORRECTION_TOO_LATE = "补正期限填的是 {by}：合理的补正期限最长 {days} 个工作日，即不晚于 {last}。"
APPLICATION_NOT_CORRECTING = "{number} 没有在等待补正。"
APPLY_CORRECT_NOT_ASKED = (
    "{number} 现在没有在等待补正（补正已经收到，或没有要求补正），这次填写的内容没有记录。"
    "如需补充说明，请致电 {office_phone}。"
)
APPLICATION_CORRECTING = "{number} 正在等待申请人补正，补正后才能继续办理。"
APPLICATION_EXTENSION_DAYS = "延长期限应为1至{most}个工作日（《条例》第33条第2款）。"
APPLICATION_EXTENSION_APPROVER = "延长答复期限须经政府信息公开工作机构负责人同意，请写明批准人。"
APPLICATION_EXTENSION_ONCE = "答复期限只能延长一次。"
APPLICATION_EXTENSION_LATE = "延期须在答复期限 {due} 届满前决定。"
APPLICATION_PAUSE_LATE = "征求意见须在答复期限 {due} 届满前开始：已超期的申请，期限不能事后停止计算。"
APPLICATION_PARTY_KIND = "征求意见的对象应为：{choices}"
APPLICATION_PARTY_NAME = "请写明征求意见的对象（第三方或其他机关的名称）。"
APPLICATION_PAUSED = "{number} 正在征求意见，请先登记对方答复（恢复计时）。"
APPLICATION_NOT_PAUSED = "{number} 没有正在进行的征求意见。"
APPLICATION_BEFORE_PAUSE = "恢复计时的日期不能早于征求意见之日 {day}。"
APPLICATION_UNKNOWN_DECISION = "没有“{decision}”这种答复结果。"
APPLICATION_UNKNOWN_ACTION = "没有“{action}”这项操作。"
APPLICATION_NEEDS_ARTICLE = "“{decision}”请写明依据的条款。"
APPLICATION_NOT_LAPSED = "{number} 不是逾期未补正的申请，不能按逾期不补正处理。"
APPLICANT_CORRECTION = (
    "您的政府信息公开申请（编号 {number}）需要补正：\n{text}\n"
    "请在 {by} 前补正。补正后，答复期限从收到补正之日起重新计算；"
    "无正当理由逾期不补正的，视为放弃申请（《条例》第30条）。"
)
APPLICANT_CORRECTED = "已收到您补正的申请（编号 {number}，{day}），答复期限重新计算，将在 {due} 前答复。"
APPLICANT_EXTENDED = (
    "您的政府信息公开申请（编号 {number}）需要延长答复期限{days}个工作日（《条例》第33条第2款）。"
    "理由：{reason}\n将在 {due} 前答复。"
)
APPLICANT_DECIDED = "您的政府信息公开申请（编号 {number}）已经答复，告知书如下："
STAFF_APPLICATION_NEW = (
    "新的政府信息公开申请 {number}\n申请人：{name}（{applicant}）\n收到：{received}（{via}）\n"
    "答复期限：{due}\n所需信息：{text}"
)
STAFF_APPLICATION_SOON = "提醒：政府信息公开申请 {number} 将于 {due} 到期（还有{left}个工作日）。"
STAFF_APPLICATION_DUE = "提醒：政府信息公开申请 {number} 今天（{due}）到期，请今天答复。"
STAFF_APPLICATION_OVERDUE = "提醒：政府信息公开申请 {number} 已于 {due} 到期，已超期，请尽快答复。"
LETTER_TITLE = "政府信息公开申请答复告知书"
LETTER_TITLES = {
    "correction": "政府信息公开申请补正告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "decision": LETTER_TITLE,
}
LETTER_CORRECTION = "经审查，您的申请内容不够明确，请一次性补正以下事项（《中华人民共和国政府信息公开条例》第三十条）："
LETTER_CORRECTION_BY = (
    "请于 {by} 前补正。答复期限自本机关收到补正后的申请之日起计算；无正当理由逾期不补正的，视为放弃申请。"
)
LETTER_EXTENSION = (
    "因需要延长答复期限，经本机关政府信息公开工作机构负责人（{approved_by}）同意，"
    "答复期限延长{days}个工作日（《中华人民共和国政府信息公开条例》第三十三条第二款），本机关将于 {due} 前答复。"
)
LETTER_REASON = "延期理由：{reason}"
LETTER_NUMBER = "申请编号：{number}"
LETTER_OPENING = "本机关于 {received} 收到{you}向{bureau}提出的政府信息公开申请。"
# What follows the opening: only the decision answers; a correction or an extension tells.
LETTER_LEADS = {"decision": "经审查，现答复如下：", "correction": "现告知如下：", "extension": "现告知如下："}
LETTER_EXTENDED = "因情况需要，经本机关政府信息公开工作机构负责人同意，本申请的答复期限已于 {day} 延长{days}个工作日。"
LETTER_DECISION = "答复结果：{decision}。"
# (the annual report's row the decision is counted under is staff's bookkeeping, not the applicant's)
LETTER_BASIS = "依据：《中华人民共和国政府信息公开条例》{article}。"
LETTER_REMEDIES = (
    "如对本答复不服，可以自收到本告知书之日起60日内向{review_body}申请行政复议，"
    "也可以自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。"
)
LETTER_REMEDIES_REVIEW_FIRST = (
    "如对本答复不服，可以自收到本告知书之日起60日内向{review_body}申请行政复议；"
    "对不予公开的答复，应当先申请行政复议（《中华人民共和国行政复议法》第二十三条），"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼。"
)
LETTER_CONTACT = (
    "联系方式：{office_name}，地址：{office_address}，电话：{office_phone}，"
    "传真：{office_fax}，电子邮箱：{office_email}。"
)

APPLY_BAD_APPLICANT = "请选择申请人类型：自然人，或法人、其他组织的类别。"
APPLY_NO_NAME = "请填写申请人姓名或单位名称（《条例》第29条）。"
APPLY_TOO_LONG = "请在{limit}字以内。"
APPLY_BAD_ID_TYPE = "请选择身份证明的类型。"
APPLY_NO_ID = "请填写身份证明的号码（《条例》第29条）。"
APPLY_BAD_ID = "居民身份证号码应为18位，请核对（最后一位可能是X）。"
APPLY_BAD_CREDIT_CODE = (
    "统一社会信用代码应为18位数字和大写字母（不含I、O、S、V、Z），最后一位是校验码，请对照营业执照核对。"
)
APPLY_BAD_ID_CHECK = "这个身份证号码是18位，但最后一位（校验码）与前17位对不上，请核对有没有输错的数字。"
APPLY_BAD_EMAIL = "电子邮箱的格式好像不对，请核对。"
APPLY_NO_CONTACT = "请至少留一种联系方式：电话、电子邮箱或通信地址（《条例》第29条）。"
APPLY_NO_DESCRIPTION = "请写明所需信息的名称、文号，或便于查找的其他特征描述（《条例》第29条）。"
APPLY_BAD_FORM = "请选择所需信息的形式：纸质、电子或查阅。"
APPLY_BAD_DELIVERY = "请选择获取信息的方式。"
APPLY_FORM_NOT_DELIVERY = "所需信息的形式选了“{form}”，获取方式却是“{delivery}”，两者对不上，请改选其中一项。"
APPLY_PERSON_NOT_CODE = (
    "个人申请请用个人证件（如居民身份证）；统一社会信用代码是单位的，单位申请请在申请人类型中选择相应的单位。"
)
APPLY_EMAIL_FOR_DELIVERY = "选择通过电子邮件获取，请填写电子邮箱。"
APPLY_ADDRESS_FOR_DELIVERY = "选择邮寄，请填写通信地址。"

APPLY_DROPPED = "好的，没有提交申请。所需信息可在公开目录中查阅，也可以随时再申请。"
APPLIED = (
    "已收到您的政府信息公开申请，编号 {number}（请记下）。\n"
    "我们会在 {due} 前答复（遇需补正、依法延期或征求第三方意见的，另行告知）。查询进度：/status {number}"
)
# After a due date reckoned into a year whose holidays are not known yet.
DUE_MAY_MOVE = "（{years}的节假日安排尚未公布，如期限内有节假日，到期日相应顺延，以本局告知为准）"
APPLY_PUBLISHED = "您要的信息可能已经主动公开，不必申请即可获取（《条例》第36条第1项）："
APPLY_CORRECT_USAGE = "请按“补正 申请编号 补正内容”发送，例如：补正 申20261127-0001-7 鲁安监〔2026〕7号文件"
APPLY_EXPIRED = "这份申请表已过期，请重新填写。"
APPLY_CORRECT_EMPTY = "请填写补正的内容再提交。"
APPLY_NOT_YOURS = "只有提交申请的本人可以查看或补正。"
# Under an application's status looked up from another browser than the one it was filed in.
APPLY_LETTER_ELSEWHERE = (
    "告知书只在提交申请时用的浏览器里显示；换了手机或电脑，请按申请时选的获取方式（电子邮件、邮寄等）查收，"
    "或致电 {office_phone} 说明申请编号和姓名。"
)
APPLY_NO_LETTER = "这件申请还没有答复告知书。"
APPLY_BAD_DAY = "日期的格式应为 2026-11-27。"

APPLY_ASK_APPLICANT = (
    "申请政府信息公开（《条例》第27—29条），不需要说明用途。随时发送“取消”可退出。\n"
    "请先选择申请人：自然人，或法人、其他组织的类别："
)
APPLY_ASK_NAME = "请输入申请人姓名（单位申请请输入单位全称）："
APPLY_ASK_ID_TYPE = "请选择身份证明的类型："
APPLY_ASK_ID_NUMBER = (
    "请输入证件号码。为什么问：《条例》第29条要求提供身份证明；号码仅本局办理人员可见，在任何地方都部分隐藏。"
)
APPLY_ASK_CONTACT = "请留下至少一种联系方式：电话、电子邮箱或通信地址，可以写在一行，例如：13812345678 wang@example.com"
APPLY_ASK_DESCRIPTION = "请写明所需信息：文件名称、文号，或便于查找的其他特征描述（2000字以内）："
APPLY_ASK_FORM = "所需信息的形式："
APPLY_ASK_DELIVERY = "获取信息的方式："
APPLY_SUMMARY = (
    "请确认您的政府信息公开申请：\n\n申请人：{name}（{applicant}）\n身份证明：{id_type} {id_number}\n"
    "联系方式：{contact}\n所需信息：{description}\n形式：{form}，{delivery}\n\n确认提交吗？"
)
APPLY_YES = "提交"
APPLY_NO = "不提交"
APPLY_PICK = "请从下面的选项中选择（回复序号或选项文字）。"
APPLY_TEXT_ONLY = "请用文字回复。"
APPLY_PUBLISHED_ITEM = "• {title}（索引号 {index_no}，{date}）{link}"
APPLY_STILL = "仍然要提交申请吗？"
APPLY_LOOKS_LIKE_COMPLAINT = (
    "您写的内容像是投诉、举报或信访事项。按《条例》第39条，这类事项不作为政府信息公开申请办理，"
    "可以在这里提交投诉、举报，我们给您编号并答复。您要怎么办？"
)
APPLY_AS_COMPLAINT = "改为提交投诉"
APPLY_ANYWAY = "仍按信息公开申请提交"

# --- the web chat and the staff console ---
WEB_TITLE = "{bureau_name} 政府信息公开咨询"
WEB_ASK_TITLE = "点击即提问"
# Under an answer (in the web chat, the last one), a button that says it missed (the lexicon's
# not_it), and what the citizen is shown saying with it; under a list, one that says none is it.
MISSED_BUTTON = "没答到我问的？"
MISSED_SAYS = "不是我要问的"
MISSED_BUTTON_EN = "Not what you asked?"
MISSED_SAYS_EN = "that's not what I asked"
NONE_BUTTON = "都不是"
NONE_SAYS = "都不是"
NONE_BUTTON_EN = "None of these"
NONE_SAYS_EN = "none of these"
# A guide answer's pointer to another question (可问“…”): on Telegram a button under the answer,
# on WeChat a numbered list (a passive reply holds no link).
TG_ASK = "问：{question}"
WX_ASKS = "想接着问，回复序号："
WEB_PLACEHOLDER = "请输入您的问题"
WEB_SEND = "发送"
WEB_HINTS = ("申请信息公开要收费吗", "多久答复", "怎么申请", "安全生产月的文件")  # as a citizen asks, not a command
WEB_STATUS_USAGE = "请发送“查询”加投诉或申请编号，例如：查询 20261127-001-6。"
WEB_STATUS_LINK = "查看办理进度"
# Under an answer on how to apply (Conversation.invites_to_apply): applying here.
WEB_APPLY_HERE = "也可以在本网站直接在线申请，按表填写即可。"
WEB_APPLY_LINK = "在线申请"
WEB_APPLY_START = (
    "申请政府信息公开，请点下面的“在线申请”按表填写：写明申请人、身份证明、联系方式和所需信息，"
    "提交后会给您一个申请编号，收到申请之日即提交之日。想先了解怎么申请，可以问我“怎么申请信息公开？”"
)
TG_APPLY_HERE = "也可以在这里直接申请：发送 /apply，按提示一步步填写。"
WX_APPLY_HERE = "也可以在这里直接申请：回复“申请公开”，按提示一步步填写。"
# Filed from the web: the progress is a link under the turn, not a command to type.
WEB_FILED = "已收到您的{kind}，编号 {number}（请记下）。\n我们会在 {due} 前办理答复，答复会显示在这里。"
WEB_APPLIED = (
    "已收到您的政府信息公开申请，编号 {number}（请记下）。\n"
    "我们会在 {due} 前答复（遇需补正、依法延期或征求第三方意见的，另行告知），答复会显示在这里。"
)
WEB_COMPLAINT_LINK = "填写{kind}表"
WEB_COMPLAINT_LINK_EN = "Fill in the form ({kind})"
# The citizens' pages' menu (in the frame of the widget too, where the page has no header).
WEB_NAV = (("/", "咨询"), ("/apply", "申请公开"), ("/complaint", "投诉举报"), ("/status", "进度查询"))
WEB_NOSCRIPT = "您的浏览器未启用 JavaScript：页面仍可正常提问，每次发送后会重新载入。"
# The page a browser shows for a wrong address (404) or a form's address opened as a page (405).
WEB_ERROR_PAGES = {
    404: ("页面不存在", "这个地址可能有误，或页面已移动。"),
    405: ("请从页面上的按钮进入", "这个地址用于提交表单，不能直接打开。"),
    403: ("不能进行这个操作", "请返回工作台首页重试。"),  # the refusal's own sentence, where it has one
    400: ("请求有误", "请返回上一页重试。"),
}
WEB_ERROR_HOME = "返回咨询首页"
WEB_ERROR_STAFF_HOME = "返回工作台首页"

# --- WeChat ---
# No buttons under a message on WeChat: the citizen replies with a number or a word instead.
WX_HELP = (
    "可以这样使用：\n"
    "• 直接发送问题，例如“申请信息公开要收费吗”“多久答复”。\n"
    "• 点下方菜单按栏目浏览政府信息公开指南，回复序号查看答复。\n"
    "• 发送“删除记录”删除您提问的文字记录。\n"
    "• 发送文件名里的关键词（例如“安全生产月”），查找公开目录中的文件。\n"
    "• 发送“投诉”或“举报”在这里提交，发送“申请公开”申请政府信息公开，发送“查询 编号”查询办理进度。\n"
    "• 发送“取消”退出当前操作。"
)
CONSOLE_HELP = (
    "可以这样使用：\n"
    "• 直接输入问题，例如“申请信息公开要收费吗”“多久答复”；有选项时回复序号。\n"
    "• /search 关键词：查找公开目录中的文件，例如 /search 安全生产月。\n"
    "• 输入“投诉”或“举报”提交，输入“申请公开”申请政府信息公开，输入“查询 编号”查询办理进度。\n"
    "• 输入“取消”退出当前操作，输入“删除记录”删除您提问的文字记录，/quit 结束。"
)
WX_MENU_HINT = "也可以点下方菜单按栏目浏览指南、提交投诉或查询进度；发送“帮助”查看使用方法。"
WX_NON_TEXT = "抱歉，我目前只能阅读文字消息。请用文字输入您的问题，或发送“帮助”查看使用方法。"
WX_GUIDE_SECTIONS = "政府信息公开指南，请回复栏目序号："
WX_GUIDE_SECTION = "【{section}】请回复问题序号："
WX_OFFER = "回复 1 在这里提交{kind}，回复 0 不用了。"
WX_OFFER_EN = "Reply 1 to file it here, 0 for no."
# Under a numbered list the numbers pick a question: the form is asked for by its word.
WX_OFFER_WORD = "回复“{kind}”在这里提交{kind}，您刚才的话就是它的内容。"
WX_OFFER_WORD_EN = "Reply “{kind}” to file it here; what you just wrote will be its text."
WX_DECLINED = "好的。如需投诉，随时发送“投诉”。"
WX_FORM_WHAT = "请简要描述发生了什么（必填，{limit}字以内）：时间、地点、涉及的事项或文件。随时回复“取消”可取消。"
WX_FORM_WHAT_TIPOFF = TIPOFF_HOTLINES + "\n" + WX_FORM_WHAT
WX_FORM_WHAT_TEXT_ONLY = "请用文字描述您要反映的情况（暂不支持图片、语音和文件）。回复“取消”可取消。"
WX_FORM_TOPIC = "您反映的事情主要涉及哪一方面？请回复序号："
WX_FORM_TOPIC_SUGGESTED = "看内容像是“{topic}”方面的，是的话请回复 {number}，不是请回复别的序号。"
WX_FORM_TOPIC_AGAIN = "请回复下面的序号之一，选择涉及的方面（回复“取消”可取消）："
WX_FORM_CONTACT = (
    "如需工作人员与您联系核实，请发送姓名和电话，例如：张三 13812345678。不留也可以，请回复“跳过”。\n" + CONTACT_WHY
)
WX_FORM_CONTACT_BAD_PHONE = "电话号码的位数好像不对，请发送手机号（11位）或带区号的固定电话，或回复“跳过”。"
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
WX_APPLIED = (
    "已收到您的政府信息公开申请，编号 {number}（请记下）。\n"
    "我们会在 {due} 前答复（遇需补正、依法延期或征求第三方意见的，另行告知）；"
    "可以随时发送“查询 {number}”查看办理进度。"
)
WX_STATUS_USAGE = "请发送“查询”加投诉或申请的编号，例如：查询 20261127-001-6，或 查询 申20261127-0001-7"
WX_RATE = "回复序号评价：{choices}。"
WX_CUT = "……"
WX_MENU_GUIDE = ("办事指南", "更多指南")
WX_MENU_ALL_SECTIONS = "全部栏目"
WX_MENU_SERVICE = "投诉查询"
WX_MENU_STATUS = "查询进度"
WX_MENU_CONTACT = "联系方式"

# --- what staff teach the bot ----------------------------------------------------------------------
REFER_SECTION = "不属于本局的事项"
REFER_SOURCE = "本局政府信息公开工作人员的指引"

# --- The yearly report (年度报告): refusals name the cell; staff see these in the console and the CLI ---
REPORT_TABLE1 = "表一（主动公开政府信息情况）"
REPORT_TABLE2 = "表二（收到和处理政府信息公开申请情况）"
REPORT_TABLE3 = "表三（政府信息公开行政复议、行政诉讼情况）"
REPORT_PROACTIVE = "主动公开情况"
REPORT_PROACTIVE_TOTAL = "合计"
REPORT_PROACTIVE_COUNT = "条数"
REPORT_PROACTIVE_SHARE = "占总数比例"
REPORT_CELL = "{table}，“{row}”行，“{column}”列：{problem}"
REPORT_NOT_SUM = "应为 {expected}（{what}），实为 {actual}"
REPORT_SUM_COLUMNS = "六类申请人之和"
REPORT_SUM_OUTCOMES = "（一）至（六）各项办理结果之和"
REPORT_SUM_RESULTS = "维持、纠正、其他、尚未审结之和"
REPORT_SUM_CATEGORIES = "各类别条数之和"
REPORT_UNBALANCED = (
    "第一项加第二项（{new} + {carried_in}）应等于第三项加第四项（{total} + {carried_out}），勾稽关系不成立"
)
REPORT_NEGATIVE = "不能小于 0"
REPORT_BAD_PERCENT = "写作 {written}%，与条数算出的 {exact}% 不符"
REPORT_REFUSED = "年度报告未生成：以下数字不符合报告格式的勾稽关系，请核对后重试。"
REPORT_BAD_RECORD = "第 {number} 条申请记录无法统计：{problem}"
REPORT_BAD_COLUMN = "申请人类别“{value}”不是{choices}之一"
REPORT_BAD_OUTCOME = "已办结但办理结果“{value}”不是表二的办理结果之一"
REPORT_DECIDED_BEFORE = "办结日期早于收到日期"
REPORT_UNKNOWN_KEY = "没有“{key}”这一项（gongkai report keys 年份 列出可填的各项）"
REPORT_NOT_A_COUNT = "“{key}”应填不小于 0 的整数，填的是“{value}”"
REPORT_NOT_AN_AMOUNT = "“{key}”应填金额（不小于 0，最多四位小数），填的是“{value}”"
REPORT_NOT_A_DATE = "“{key}”应填日期（如 2010-01-29），填的是“{value}”"
REPORT_TOO_LONG = "“{key}”最多 {limit} 字"
REPORT_NO_YEAR = "{year} 年没有政府信息公开工作年度报告：《条例》自 2008 年 5 月 1 日起施行，可选 2008 年至今年。"
REPORT_MISSING = "以下数字尚未填写，报告中留空：{cells}"
REPORT_CATALOGUE_DIFFERS = "主动公开“{category}”填报 {entered} 条，目录中本年生成 {catalogue} 条"
REPORT_ENTERED_TABLE2 = "表二按工作人员录入的数字生成（登记簿中本年的 {count} 件申请未计入）"
REPORT_NO_TEXT = "（本节尚未填写）"
REPORT_SAVED = "已保存 {count} 项。"
REPORT_CASE_ADDED = "已登记案件 {number}。"
REPORT_CASE_DECIDED = "案件 {number} 已记录结果：{result}。"
REPORT_NO_SUCH_CASE = "没有编号为 {number} 的复议诉讼案件。"
REPORT_CASE_BAD_KIND = "案件类别应为：行政复议、未经复议直接起诉、复议后起诉"
REPORT_CASE_BAD_DAY = "日期 {day} 不对：应在《条例》施行之日（{since}）之后，且不晚于今天。"
REPORT_CASE_BAD_RESULT = "结果应为：维持、纠正、其他"
REPORT_CASE_DECIDED_BEFORE = "审结日期不能早于立案日期"
FILTER_SINCE, FILTER_UNTIL = "起始日期", "截止日期"
FILTER_BAD_DATE = "{what}“{value}”不是日期，请写成 2026-03-02 这样"
REPORT_BAD_DATE = "{what}应为日期，如 2026-03-02"
REPORT_TEXTS_MISSING = "以下部分尚未填写文字：{sections}"
REPORT_CARRY_DIFFERS = "表二“二、上年结转”与{previous}年表二的“四、结转下年度继续办理”不一致：{cells}"
REPORT_CARRY_CELL = "{column}列上年结转出 {carried_out}、本年结转入 {carried_in}"
# --- HTTP errors (any route: short, plain text, never a traceback) ---
HTTP_ERRORS = {
    400: "请求格式有误。",  # a form's own (HTTP_BAD_FORM) says to go back to the page; an API has none
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
HTTP_FIELD_TWICE = "表单里同一项填了两个不同的值，请刷新页面重新填写。"
HTTP_BAD_PAGE = "页码不对。"
STAFF_LOGIN_TOO_FAST = "登录尝试太频繁，请一分钟后再试。"

# --- staff accounts in the console (/staff/accounts) ---
STAFF_ERRORS = {
    "exists": "这个用户名已经有了",
    "username": "用户名为1到40个字符：汉字、字母、数字或 . _ -",
    "password": "密码至少10个字符，且不能全是同一个字符",
    "role": "请选择角色",
    "unknown": "没有这个账号",
    "own_account": "不能删除自己的账号",
    "own_role": "不能取消自己的管理员角色",
}
ACCOUNT_ADDED = "已添加账号 {username}（{role}）"
ACCOUNT_REMOVED = "已删除账号 {username}"
ACCOUNT_ROLE_SET = "{username} 现在是{role}"

# --- the bureau's own settings: `gongkai setup` and the staff console's banner ---
SETTING_LABELS = {
    "office_name": "信息公开工作机构名称",
    "bureau_name": "本局名称",
    "office_address": "办公地址",
    "office_hours": "办公时间",
    "office_phone": "咨询电话",
    "office_fax": "传真",
    "office_email": "电子邮箱",
    "supervision_phone": "监督投诉电话",
}
SETUP_INTRO = "逐项填写本局的名称和联系方式，它们会出现在每条答复里。方括号里是现在的值，直接回车即保留。\n写入：{path}"
SETUP_PROMPT = "{label}（{variable}）"
SETUP_PROMPT_SAMPLE = "{label}（{variable}，现为示例值“{value}”，直接回车暂不填写）"
SETUP_BAD_PHONE = (
    "“{value}”不是有效的电话号码：手机写11位（如 13905331234），"
    "固定电话写区号-号码（如 0533-2181234，分机写成 0533-2181234-801）"
)
SETUP_BAD_EMAIL = "“{value}”不是有效的电子邮箱地址（如 xxgk@zhangdian.gov.cn）"
SETUP_EMPTY = "请填写{label}"
SETUP_TOO_LONG = "{label}请写在{limit}字以内"
SETUP_SAMPLE = "请填写本局的实际内容，不要保留“（示例，待本局配置）”"
SETUP_BAD_CHARACTERS = "{label}不能含有换行或“${{”"
SETUP_SAVED = "已写入 {path}：{names}"
SETUP_NOTHING = "没有改动，{path} 保持不变。"
SETUP_RESTART = "重新启动 Gongkai（systemctl restart gongkai）后生效。"
SETUP_OVERRIDDEN = "注意：环境变量 {variable} 已设置，它优先于文件中的值；请一并修改或删除它。"
SETUP_STILL_SAMPLE = "以下仍是示例值，答复中会显示“（示例，待本局配置）”：{names}"
SETUP_ALL_SET = "本局的名称和联系方式都已设置。"
SETUP_CHECK_UNSET = "尚未设置（{count}项）：{names}\n运行 gongkai setup 逐项填写。"
# The web's refusals, as pages or short texts.
WEB_FORM_STALE = "表单已过期，请刷新页面后重试。"
STAFF_LOGIN_FIRST = "请先登录。"
STAFF_NOT_ALLOWED = "您的账号没有这项权限，请联系管理员。"
STAFF_LOGIN_FAILED = "用户名或密码不正确，或账号因多次失败已被暂时锁定。"
STAFF_NO_SUCH_COMPLAINT = "没有这个编号的投诉。"
# The staff console's banner, on every page while any of them is still the sample bureau's.
STAFF_UNSET_BANNER = "以下设置仍是示例值，市民在答复中会看到“（示例，待本局配置）”或示例局的名称："
STAFF_UNSET_HOW = "请系统管理员在服务器上运行 gongkai setup 逐项填写（或设置环境变量），然后重新启动 Gongkai。"
STAFF_UNSET_VARIABLES = "环境变量"

# --- teaching the bot (the console and `gongkai teach`) ---
TEACH_ACTIONS = {
    "phrasings": "补充问法",
    "entry": "新增条目",
    "out_of_scope": "不属于本局",
    "complaint": "应为投诉举报",
}
TEACH_NO_ENTRY = "没有“{entry}”这个指南条目"
TEACH_SECTION = "请选择指南中已有的一个栏目"
TEACH_ID_TAKEN = "“{id}”已被其他条目使用"
TEACH_POINTER_TOO_LONG = "指引请写在{limit}字以内"
TEACH_NO_RECORD = "没有第{number}条教学记录"
TEACH_UNDONE_ALREADY = "第{number}条已经撤销过了"
TEACH_EXPORTED = "第{number}条已导出到知识库文件，请在文件中修改"
TEACH_NO_WORDING = "请至少选择或填写一种问法"
# A new entry's fields as the teaching form checks them (knowledge.ENTRY_PROBLEMS, said to staff).
ENTRY_PROBLEMS = {
    "mapping": "条目应为一组“字段: 值”",
    "unknown_field": "没有这个字段（可用：{fields}）",
    "missing": "请填写这一项",
    "empty": "不能为空",
    "id": "“{id}”只能由小写英文字母、数字和连字符组成，例如 apply-by-wechat",
    "refer": "只能是 true 或 false",
    "list": "每一项都不能为空",
    "phrasings": "至少需要{minimum}种问法，现在只有{count}种",
    "answer_long": "答复有{count}个字，一条聊天消息最多{limit}个字",
    "too_long": "有{count}个字，最多{limit}个字",
    "text": "应为文字",
    "answer_en_long": "英文答复有{count}个字符，最多{limit}个",
    "question_en": "英文问题最多{limit}个字符",
    "year": "应为年份，例如 2009",
    "in_force": "应为所述规定施行的首尾年份，例如 [2008, 2019]",
    "replaced_by": "应为取代这些规定的条目编号，且须同时写 in_force",
    "subject": "应为答复所谈事项的简短说法，例如 行政复议",
    "category": "应为公开目录的类别，例如 政策法规",
    "column": "应为公开目录的网站栏目，例如 重大危险源",
    "documents": "应为公开目录中文件的索引号",
    "source_file": "写的是文件名 {file}；依据会显示给群众，请写文件本身的名称",
    "stray_brace": "有多余或不成对的花括号：花括号只能成对括住一个占位符，如 {{office_phone}}",
    "placeholder": "没有占位符{{{name}}}（可用：{known}）",
    "placeholder_format": "占位符{{{name}}}不能带格式，请写作{{{name}}}",
}
TEACH_WORDING_NO_WORDS = "“{wording}”里没有文字，不能作为问法"
TEACH_WORDING_TOO_LONG = "每种问法请在{limit}字以内"
TEACH_WORDING_TAKEN = "“{wording}”已经是条目“{entry}”的问法"
TEACH_WORDING_ALREADY = "“{wording}”已经是这个条目的问法，不用再教"
TEACH_WORDING_NOT_ASKED = "“{wording}”会被当作问候、单个字母或乱码来回复，不会按条目回答，请写出市民的完整问法"
# What was done, after 已: 已补充问法, 已标为投诉举报 (not 已应为投诉举报).
TEACH_DONE = {
    "phrasings": "补充问法",
    "entry": "新增条目",
    "out_of_scope": "标为不属于本局",
    "complaint": "标为投诉举报",
}
PASSWORD_MISMATCH = "两次输入的新密码不一样，请重新输入。"
PASSWORD_WRONG = "当前密码不对。"
PASSWORD_CHANGED = "密码已修改，请用新密码登录。"
TAUGHT = "已{what}（第{number}条），已生效"
TAUGHT_NOT_LIVE = "已{what}（第{number}条），但重新加载失败，请查看日志"
UNTAUGHT = "已撤销第{number}条"
UNTAUGHT_BAD_NUMBER = "编号不对"
