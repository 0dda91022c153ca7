"""Every Chinese word the UI itself says. Content (names, addresses, pages) comes from the pack."""

from __future__ import annotations

APP_TITLE = "法律服务自助终端"

# Navigation
HOME = "首页"
BACK = "返回"

# Home entries: feature -> (title, one-line explanation)
ENTRIES: dict[str, tuple[str, str]] = {
    "directory": ("机构与服务查询", "找办公地点、窗口、服务和今天值班的律师"),
    "eligibility": ("法律援助自测", "回答几个问题，看看能否申请免费法律援助"),
    "videos": ("普法视频", "看看身边的法律小知识"),
    "tickets": ("取号", "领取排队号码，到窗口办理"),
    "disclosure": ("公示信息", "职能职责、办事程序、监督投诉电话"),
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

# Generic
CLOSE = "关闭"
LOADING = "请稍候……"
ERROR_FRIENDLY = "抱歉，这一项暂时无法显示。请到接待指引窗口咨询，或拨打 12348。"
SITE_UNKNOWN = "本机尚未设置所在站点"
