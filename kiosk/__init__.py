"""法律服务自助终端: the touch-screen kiosk of a district public legal service system."""

__version__ = "0.1.0"
