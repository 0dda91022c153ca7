"""Every Chinese word the UI itself says. Content (names, addresses, pages) comes from the pack."""

from __future__ import annotations

from kiosk.sync import texts as sync_texts

APP_TITLE = "法律服务自助终端"

# Navigation
HOME = "首页"
BACK = "返回"

# Home entries: feature -> (title, one-line explanation)
ENTRIES: dict[str, tuple[str, str]] = {
    "directory": ("机构查询", "找办公地点、窗口、服务和今天值班的律师"),
    "eligibility": ("法律援助自测", "回答几个问题，看看能否申请免费法律援助"),
    "videos": ("普法视频", "看看身边的法律小知识"),
    "tickets": ("取号", "领取排队号码，到窗口办理"),
    "disclosure": ("公示信息", "职能职责、办事程序、监督投诉电话"),
    "complaints": ("投诉建议", "投诉电话、网上投诉、当面反映或在这里留言"),
}
HOTLINE_CALL = "法律咨询请拨打"
HOTLINE_HINT = "免费法律咨询热线，工作人员为您解答"
WELCOME = "您好！请点击下面的按钮"
NOTICE = "通知"

# Idle reset
IDLE_QUESTION = "还在使用吗？"
IDLE_EXPLAIN = "{seconds} 秒后将回到首页，您刚才填写的内容会被清除。"
IDLE_CONTINUE = "继续使用"
IDLE_LEAVE = "回到首页"

# Admin
PIN_TITLE = "工作人员登录"
PIN_PROMPT = "请输入管理密码"
PIN_WRONG = "密码不正确，还可以再试 {remaining} 次"
PIN_LOCKED = "输入错误次数过多，已锁定，请于 {until} 后再试"
PIN_NOT_SET = "尚未设置管理密码，请在终端上运行 kiosk admin set-pin"
PIN_OK = "确定"
PIN_DELETE = "删除"
PIN_CANCEL = "取消"
ADMIN_TITLE = "管理"
ADMIN_VERSION = "程序版本"
ADMIN_SITE = "本机站点"
ADMIN_CONTENT = "内容版本"
ADMIN_CONTENT_ORIGIN = {
    "preview": "预览（未打包的源文件）",
    "bundled": "内置默认内容",
    "built": "已安装的内容包",
}
ADMIN_NOTES = "内容提示"
ADMIN_REVIEW_DUE = "待复核"
ADMIN_QUIT = "退出程序"
ADMIN_QUIT_CONFIRM = "再点一次确认退出"
ADMIN_DONE = "回到首页"
ADMIN_NONE = "无"

# Disclosure (公示)
DISCLOSURE_TITLE = "公示信息"
DISCLOSURE_EMPTY = "本站点暂无公示信息，请到接待指引窗口咨询。"
UNVERIFIED = "待核实"

# Videos
VIDEOS_TITLE = "普法视频"
VIDEOS_EMPTY = "暂时没有视频。"
VIDEO_DURATION = "{minutes}分{seconds}秒"
VIDEO_SECONDS = "{seconds}秒"
VIDEO_PAUSE = "暂停"
VIDEO_PLAY = "继续播放"
VIDEO_REPLAY = "重新播放"
VIDEO_ENDED = "播放完了。可以重新播放，或点“返回”看别的视频。"
VIDEO_MISSING = "这个视频文件找不到了，请告诉工作人员。"

# Signage (LED / large screen)
SIGNAGE_WINDOWS = "服务窗口"
SIGNAGE_ADDRESS = "地址"
SIGNAGE_HOTLINE = "公共法律服务热线"

# Legal-aid walkthrough (法律援助自测)
ELIG_TITLE = "法律援助自测"
ELIG_INTRO_HEAD = "看看您能不能申请免费的法律援助"
ELIG_INTRO_LINES = (
    "回答几个简单的问题，大约1到2分钟。一页只问一个问题，点按钮回答，不用打字。",
    "拿不准的问题，可以选“不确定”。答错了可以返回修改。",
    "您的回答只用来算出结果，不会保存；离开或回到首页后自动清除。",
    "自测结果仅供参考：是否给予法律援助，由法律援助中心审查决定。",
)
ELIG_START = "开始自测"
ELIG_UNAVAILABLE = "法律援助自测暂时不能使用，请到法律援助窗口咨询，或拨打 12348。"
ELIG_PROGRESS = "第 {number} 题"
ELIG_YES = "是"
ELIG_NO = "否"
ELIG_CHOSEN = "（已选）"
ELIG_NUMBER_HINT = "请输入"
ELIG_NUMBER_OK = "确定"
ELIG_NUMBER_DELETE = "删除"
ELIG_NUMBER_CLEAR = "清空"
ELIG_NUMBER_EMPTY = "请先点数字键输入，或选“{unsure}”。"
ELIG_NUMBER_MIN = "不能小于 {limit}，请重新输入。"
ELIG_NUMBER_MAX = "不能大于 {limit}，请重新输入。"
ELIG_NUMBER_WHOLE = "请输入整数。"
ELIG_REVIEW_TITLE = "核对您的回答"
ELIG_REVIEW_HINT = "请看一下您的回答对不对。要改哪一项，就点它旁边的“修改”。"
ELIG_EDIT = "修改"
ELIG_SEE_RESULT = "查看结果"
ELIG_RESULT_TITLE = "自测结果"
ELIG_WHY = "为什么这样说"
ELIG_ARTICLES = "依据的法律条文（点一下可以看原文）"
ELIG_READ = "看原文"
ELIG_DOCUMENTS = "请带上这些材料"
ELIG_PLACES = "去哪里办"
ELIG_ALTERNATIVES = "其他免费途径"
ELIG_HERE = "（您现在就在这里）"
ELIG_WINDOW = "窗口"
ELIG_ADDRESS = "地址"
ELIG_PHONE = "电话"
ELIG_TAKE_AWAY = "把清单带走"
ELIG_QR_HINT = "用手机扫一扫，就能把材料清单带走。清单里没有您的任何个人信息。"
ELIG_PRINT = "打印清单"
ELIG_PRINT_TICKET = "打印清单并取号"
ELIG_SHOW_QR = "扫码带走"
ELIG_PRINTING = "正在打印，请稍候……"
ELIG_PRINTED = "打印好了，请在出纸口取走清单。"
ELIG_PRINT_FAILED = "打印机暂时不能用（{error}）。请用手机扫码带走清单，或请工作人员帮忙。"
ELIG_TICKET = "您的号码是 {number}"
ELIG_TICKET_WHERE = "请到 {windows} 等候叫号。"
ELIG_TICKET_NOT_PRINTED = "号码已经取好，但没能打印（{error}）。请记住或拍下这个号码。"
ELIG_TICKET_REFUSED = "现在不能取号：{reason}"
ELIG_CHANGE = "修改回答"
ELIG_RESTART = "重新自测"
ELIG_DONE = "完成，回到首页"
ELIG_STANDARD = "经济困难标准：{name}每人每月 {value} 元，{start}起执行。出处：{source}"
ELIG_OUTCOME_WORDS = {
    "likely_eligible": "很可能可以申请",
    "may_not_be_eligible": "可能不符合条件",
    "staff_check": "需要工作人员确认",
}
ELIG_ADMIN_RULES = "法律援助自测规则"
ELIG_ADMIN_RULES_VALUE = "版本 {version}；收入标准 {value} 元/人/月（{start}起）{flags}"
ELIG_ADMIN_STALE = "；已超过12个月，请确认是否调整"
ELIG_ADMIN_UNVERIFIED = "；待核实"
ELIG_ADMIN_COUNTS = "法律援助自测（今天）"
ELIG_ADMIN_COUNTS_NONE = "今天还没有人做完自测"

# Generic
CLOSE = "关闭"
LOADING = "请稍候……"
ERROR_FRIENDLY = "抱歉，这一项暂时无法显示。请到接待指引窗口咨询，或拨打 12348。"
SITE_UNKNOWN = "本机尚未设置所在站点"

# Tickets (取号)
TICKETS_TITLE = "取号"
TICKETS_CHOOSE = "请选择要办理的业务"
TICKETS_EMPTY = "本站点暂不提供取号，请到接待指引窗口咨询。"
TICKETS_WAITING = "{waiting} 人"
TICKETS_WAITING_LABEL = "等候"
TICKETS_HOURS = "办理时间：{hours}"
TICKETS_WINDOWS = "办理窗口：{windows}"
TICKETS_PRINTER_DOWN = (
    "出票机暂时不能打印小票（{reason}）。取号后号码会显示在屏幕上，请拍照或记下号码。"
)
TICKETS_CONFIRM_TITLE = "确认取号"
TICKETS_CONFIRM_WAITING = "现在前面有 {waiting} 人等候"
TICKETS_BRING = "请携带"
TICKETS_TAKE = "取号"
TICKETS_TAKE_PRIORITY = "绿色通道取号"
TICKETS_PRIORITY_FOR = "绿色通道（优先办理）适用于：{groups}。工作人员会在窗口核对。"
TICKETS_PRIORITY_ANYONE = (
    "绿色通道（优先办理）适用于老年人、残疾人等需要照顾的群众，工作人员会在窗口核对。"
)
TICKETS_CHOOSE_OTHER = "选择其他业务"
TICKETS_YOUR_NUMBER = "您的号码"
TICKETS_PRINTING = "正在打印小票，请稍候"
TICKETS_TAKE_PAPER = "请取走下方出票口的小票"
TICKETS_NOT_PRINTED = "小票没有打印出来"
TICKETS_SCREEN_ONLY = "本机不打印小票"
TICKETS_PHOTO = "请拍照或记下号码，到窗口出示"
TICKETS_PHOTO_TWO_LINES = "请拍照或记下号码\n到窗口出示"
TICKETS_GO_TO = "请到 {windows} 办理"
TICKETS_POSITION = "今日第 {position} 位 · {ahead}"
TICKETS_AHEAD = "前面还有 {ahead} 人"
TICKETS_AHEAD_NONE = "前面没有人等候"
TICKETS_PRIORITY_MARK = "绿色通道 · 优先办理"
TICKETS_DONE = "完成"
TICKETS_COUNTDOWN = "{seconds} 秒后回到首页"
TICKETS_REFUSED = "现在不能取号"
TICKETS_ERROR = "抱歉，暂时无法取号。请到接待指引窗口，工作人员会为您登记。"
TICKETS_ADMIN_TITLE = "取号与打印机"
TICKETS_ADMIN_OPEN = "取号与打印机：状态、补打小票"
TICKETS_ADMIN_PRINTER = "打印机"
TICKETS_ADMIN_TODAY = "今日取号"
TICKETS_ADMIN_UNPRINTED = "未打印的号"
TICKETS_ADMIN_CHECKING = "正在检查……"
TICKETS_ADMIN_ALL_PRINTED = "全部已打印"
TICKETS_ADMIN_REPRINT = "重打 {number}"
TICKETS_ADMIN_REPRINT_ALL = "全部重打（{count} 张）"
TICKETS_ADMIN_TEST = "打印测试页"
TICKETS_ADMIN_CHECK = "重新检查打印机"
TICKETS_ADMIN_WORKING = "正在打印……"
TICKETS_ADMIN_PRINTED = "{what} 已打印"
TICKETS_ADMIN_FAILED = "{what} 没有打印出来：{error}"
TICKETS_ADMIN_TEST_PAGE = "测试页"
# Content sync (staff rows on the admin screen; `kiosk status` uses the same words)
SYNC_STATES = sync_texts.SYNC_STATES  # the domain's words (`kiosk status` uses them too)
SYNC_STATE = "内容同步"
SYNC_ACTIVE = "当前内容包"
SYNC_PREVIOUS = "上一版本"
SYNC_VERSION = "第{}版"
SYNC_LAST_ATTEMPT = "上次检查"
SYNC_LAST_SUCCESS = "上次成功"
SYNC_LAST_ERROR = "同步错误"
SYNC_PENDING = "已下载待启用"
SYNC_PENDING_VALUE = "第{}版，当前使用者离开后自动启用"
SYNC_PROGRESS = "同步进度"
SYNC_PROGRESS_VALUE = "已下载 {done:.1f} / {total:.1f} MB（{files}/{count} 个文件）"
SYNC_CHECKING = "正在检查服务器……"
SYNC_DISK = "磁盘"
SYNC_DISK_VALUE = "内容包占用 {used:.1f} MB，剩余 {free:.1f} GB"
SYNC_NOW = "立即同步"
# Residents see this only when content is stale (discreet strip under the header).
SYNC_STALE_NOTICE = "本机信息可能不是最新的，办理前请向工作人员确认"

# Service directory (机构与服务查询)
DIRECTORY_TITLE = "机构与服务查询"
DIRECTORY_SEARCH = "按拼音字母查找"
DIRECTORY_SEARCH_HINT = "不用打字，点字母就能找。例如“法律援助”点 F L Y Z"
DIRECTORY_HERE = "您在这里"
DIRECTORY_HERE_BUTTON = "您在这里：{name}"
DIRECTORY_BY_KIND = "按服务类型找"
DIRECTORY_BY_LEVEL = "按机构层级找"
DIRECTORY_MORE = "更多查找方式"
DIRECTORY_BY_TOWN = "按镇街找"
DIRECTORY_PRODUCTS = "服务产品"
DIRECTORY_TOWNS_TITLE = "请选择镇街"
DIRECTORY_TOWN_TITLE = "{town}"
DIRECTORY_KIND_TITLE = "{kind}：可以去这些地方"
DIRECTORY_LEVEL_TITLE = "{level}"
DIRECTORY_LIST_EMPTY = "暂时没有找到提供这项服务的地方。您可以拨打 {hotline} 热线咨询。"
DIRECTORY_SHOW_MORE = "显示更多（还有 {count} 个）"
DIRECTORY_OWN_BADGE = "本站"
ADMIN_DIRECTORY = "机构查询"
ADMIN_DIRECTORY_FAILED = "拼音查找出错，居民只能按类别浏览；请检查内容包"

SEARCH_TITLE = "拼音查找"
SEARCH_PLACEHOLDER = "请点下面的字母"
SEARCH_EXPLAIN = "每个字点它拼音的第一个字母，例如“法律援助”点 F L Y Z，“调解”点 T J"
SEARCH_DELETE = "删除"
SEARCH_CLEAR = "清空"
SEARCH_WAIT = "请稍候……正在准备查找"
SEARCH_FOUND = "找到下面这些，点一下查看详情"
SEARCH_MORE = "结果较多，这里列出最接近的 {count} 个；再点几个字母可以找得更准"
SEARCH_NONE = "没有找到与“{query}”相关的地方或服务。"
SEARCH_NONE_HELP = "您可以拨打 {hotline} 热线咨询，或者到{window}请工作人员帮您查找。"
SEARCH_NONE_WINDOW = "接待指引窗口"
SEARCH_RETRY = "清空，重新查找"
SEARCH_FAILED = "抱歉，查找暂时不能使用。请到接待指引窗口咨询，或拨打 12348。"
RESULT_KINDS = {
    "site": "服务站点",
    "institution": "服务机构",
    "window": "本站窗口",
    "help": "服务类型",
    "product": "服务产品",
    "duty": "值班人员",
}

DETAIL_ADDRESS = "地址"
DETAIL_PHONE = "电话"
DETAIL_SERVICES = "服务"
DETAIL_HOURS = "开放时间"
DETAIL_OFFICE_HOURS = "办公时间"
DETAIL_KIND = "类别"
DETAIL_TOWN = "所属镇街"
DETAIL_STAFFING = "人员"
DETAIL_DUTY = "值班"
DETAIL_DUTY_TODAY = "今天值班"
DETAIL_NO_DUTY_TODAY = "今天没有安排值班"
DETAIL_NEXT_DUTY = "下次值班：{when}"
DETAIL_NO_NEXT_DUTY = "近期没有值班安排"
DETAIL_MONTHLY_UNSET = "每月定期值班，具体日期请电话咨询"
DETAIL_WINDOWS = "窗口"
DETAIL_DIRECTIONS = "怎么去"
DETAIL_YOU_ARE_HERE = "您现在就在这里。"
DETAIL_AT_SITE = "所在站点：{name}"
DETAIL_UNVERIFIED = "（待核实）"
DETAIL_PHONE_UNKNOWN = "请拨打 {hotline} 咨询"
DETAIL_QR_CARD = "用手机扫一扫，把这里的联系方式存到手机里"
DETAIL_QR_LINK = "用手机扫一扫，打开地图导航到这里"
DETAIL_QR_OTHER = "用手机扫一扫查看"
DETAIL_NOT_FOUND = "抱歉，没有找到这个地方的信息。请到接待指引窗口咨询，或拨打 12348。"

PRODUCTS_TITLE = "公共法律服务产品"
PRODUCTS_ALL = "全部"
PRODUCTS_SHOW_ALL = "查看全部服务产品"
PRODUCTS_EMPTY = "暂时没有服务产品信息。"
PRODUCT_FIELDS = (
    ("type", "产品类型"),
    ("purchase", "购买方式"),
    ("audience", "服务对象"),
    ("provider", "提供主体"),
    ("content", "服务内容"),
    ("standard", "服务标准"),
)

# --- 好差评 and 投诉建议 (kiosk.feedback) ---------------------------------------------------------
RATE_TITLE = "服务评价"
RATE_QUESTION = "请为本次服务评价"
RATE_VISIT_HINT = "您对这次使用自助终端满意吗？点一下即可，也可以跳过。"
RATE_SKIP = "跳过，回到首页"
RATE_REASONS = "请告诉我们哪里做得不好（可多选）："
RATE_SUBMIT = "提交评价"
RATE_WANT_CALL = "留下电话，请工作人员回电"
RATE_PHONE_PROMPT = "请输入您的手机号码（仅用于工作人员回电，处理后即删除）"
RATE_PHONE_BAD = "号码位数不对，请输入11位手机号或带区号的座机号"
RATE_NO_PHONE = "不留电话，直接提交"
RATE_THANKS = "感谢您的评价！"
RATE_THANKS_BAD = "我们会认真核实整改，{days}个工作日内处理。"
RATE_THANKS_CALL = "工作人员会在{days}个工作日内给您回电。"
RATE_FAILED = "评价没能保存，请告诉工作人员。谢谢您！"
EVAL_WAITING = "办理完成后，请在这里为我们的服务评价"
EVAL_TITLE = "{counter} · 服务评价"
EVAL_TICKET = "{ticket}号 · {service}"
EVAL_OFFLINE = "暂时连不上叫号系统，工作人员正在处理"
EVAL_NO_SETUP = "评价器未设置：请在 kiosk.ini 填写 [hall] url 和 [feedback] counter"
COMPLAINTS_TITLE = "投诉建议"
COMPLAINTS_PHONE = "监督投诉电话"
COMPLAINTS_PHONE_UNVERIFIED = "号码待核实，请到“投诉受理”窗口当面反映，或拨打12348热线"
COMPLAINTS_HOTLINE = "12348公共法律服务热线"
COMPLAINTS_WINDOW = "投诉受理窗口"
COMPLAINTS_TAKE_TICKET = "取号，到窗口当面反映"
COMPLAINTS_ONLINE = "网上投诉与咨询（用手机扫码）"
COMPLAINTS_OTHER_CHANNELS = "也可以在微信、手机应用里找到我们"
COMPLAINTS_LEAVE_MESSAGE = "在这里留言（投诉、建议、表扬）"
COMPLAINT_FORM_TITLE = "留言"
COMPLAINT_PICK_CATEGORY = "请选择您要反映的事情："
COMPLAINT_PICK_PHRASES = "请点选最接近您想说的话（可多选）："
COMPLAINT_THANKS = "已收到您的留言，谢谢！我们会在{days}个工作日内处理。"
FEEDBACK_ADMIN_TITLE = "好差评回访"
FEEDBACK_ADMIN_OPEN = "好差评回访"
FEEDBACK_ADMIN_ROW = "好差评"
FEEDBACK_ADMIN_SUMMARY = "待回访 {open} 件，其中逾期 {overdue} 件"
FEEDBACK_ADMIN_EMPTY = "没有差评或留言需要回访"
FEEDBACK_ADMIN_PHONE = "回访电话 {phone}"
FEEDBACK_ADMIN_DUE = "{status} · 期限 {due}"
FEEDBACK_ADMIN_LATE = "（已逾期）"
KEY_DELETE = "删除"

# 长者模式, 朗读, 呼叫工作人员 (header tools, kiosk/ui/access.py)
ELDER_OFF = "○ 长者模式"
ELDER_ON = "● 长者模式"
READ_OFF = "○ 朗读"
READ_ON = "● 朗读"
HELP_CALL = "呼叫工作人员"
HELP_CALLED = "● 已呼叫"
HELP_TITLE = "工作人员马上就来"
HELP_WAIT = "请在这里稍等。"
HELP_SENDING = "正在通知工作人员……"
HELP_SENT = "大厅的工作人员已经收到：{label}需要帮助。"
HELP_LOCAL = "本机已响铃提示。如果一会儿还没有人来，请向大厅里的工作人员招手。"
HELP_CANCEL = "取消呼叫"
HELP_OK = "好的"
HELP_CANCELLED = "已取消呼叫"
ADMIN_HELP = "呼叫工作人员"
ADMIN_HELP_SENT = "已通知大厅"
ADMIN_HELP_LOCAL = "本机响铃（未连大厅服务器：{error}）"
ADMIN_HELP_NO_HALL = "本机响铃（未设置大厅服务器）"
ADMIN_HELP_CANCELLED = "居民取消"
ADMIN_SPEECH = "朗读"
ADMIN_SPEECH_ERROR = "朗读出错：{error}"
SPEECH_JOIN = "。"
MORE_BELOW = "下面还有 ▼"

# Notices (kiosk.ui.notices, the compose screen, signage)
NOTICE_URGENT = "紧急通知"
NOTICES_ADMIN = "通知"
NOTICE_LEVEL_NAMES = {"urgent": "紧急", "important": "重要", "general": "一般"}
NOTICE_ORIGINS = {"pack": "内容包", "local": "本机发布", "hall": "大厅共享"}
NOTICE_CLOSES = "暂停取号"
NOTICE_COMPOSE = "发布紧急通知"
NOTICE_CLEAR_LOCAL = "撤下本机发布的通知"
NOTICE_PICK_TEXT = "通知内容"
NOTICE_PICK_UNTIL = "显示多久"
NOTICE_PICK_CLOSES = "是否暂停取号"
NOTICE_PRESETS = (
    "今天暂停办公",
    "今天下午暂停办公",
    "系统维护，暂停取号",
    "停电检修，暂停办公",
    "网络故障，部分业务暂停办理",
    "窗口人员外出，请稍候",
)
NOTICE_DURATIONS = (
    ("1小时", "+1h"),
    ("2小时", "+2h"),
    ("4小时", "+4h"),
    ("到今天结束", "end-of-day"),
)
NOTICE_CLOSES_NONE = "不暂停"
NOTICE_CLOSES_ALL = "暂停全部业务"
NOTICE_CLOSES_ONE = "暂停："
NOTICE_PUBLISH = "发布"
NOTICE_UNTIL = "通知有效至{when}"
NOTICE_FAILED = "没有发布"

# Attract loop (kiosk.ui.screens.attract)
ATTRACT_START = "请点击屏幕开始"
ATTRACT_PROBLEM = "无法播放的视频"
ATTRACT_VIDEO_MISSING = "找不到视频文件，已跳过"
ATTRACT_VIDEO_BROKEN = "视频无法打开（文件损坏或格式不支持），已跳过"
ATTRACT_VIDEO_STALLED = "视频播放卡住，已跳过"
VIDEO_BROKEN = "这个视频现在无法播放，请观看其他视频或咨询工作人员"
