"""The feedback feature's Chinese words (levels, reasons, statuses, categories)."""

from __future__ import annotations

# 一次一评: five levels, 5 best. 不满意 and 非常不满意 are 差评 (国办发〔2019〕51号).
LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_AT_MOST = 2  # a level at or below this is a 差评

REASONS: tuple[str, ...] = ("服务态度", "办事效率", "专业水平", "办事环境", "其他")

OPEN = "待回访"
CALLED_BACK = "已回访"
RECTIFIED = "已整改"
APPEALED = "申诉"
STATUSES: tuple[str, ...] = (OPEN, CALLED_BACK, RECTIFIED, APPEALED)

CATEGORIES: tuple[str, ...] = ("服务投诉", "意见建议", "表扬", "其他")
# Short messages a resident taps instead of typing (residents do not type Chinese).
PHRASES: dict[str, tuple[str, ...]] = {
    "服务投诉": ("等候时间太长", "工作人员态度不好", "没有解决我的问题", "多次跑腿", "收费不合理"),
    "意见建议": ("希望延长办公时间", "希望增加窗口", "希望设备更好用", "希望多些普法宣传"),
    "表扬": ("工作人员耐心热情", "办事效率高", "解答专业清楚"),
    "其他": ("设备出现故障", "环境需要改善", "其他问题，请联系我"),
}

CHANNELS: dict[str, str] = {"kiosk": "自助终端", "window": "窗口评价器"}
KINDS: dict[str, str] = {"rating": "差评", "complaint": "投诉建议"}

BAD_LEVEL = "level must be 1 (非常不满意) to 5 (非常满意)"
