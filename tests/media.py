"""Test media: short real video clips (H.264 through ffpyplayer) and packs that carry them."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import CONTENT


def make_clip(path: Path, seconds: float = 2.0, size: tuple[int, int] = (320, 180)) -> Path:
    from ffpyplayer.pic import Image, SWScale
    from ffpyplayer.writer import MediaWriter

    width, height = size
    stream = {
        "pix_fmt_in": "yuv420p",
        "width_in": width,
        "height_in": height,
        "codec": "libx264",
        "frame_rate": (25, 1),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = MediaWriter(str(path), [stream])
    scale = SWScale(width, height, "rgb24", ofmt="yuv420p")
    for frame in range(int(seconds * 25)):
        shade = bytes([(frame * 9) % 256, 90, 160]) * (width * height)
        image = Image(plane_buffers=[shade], pix_fmt="rgb24", size=size)
        writer.write_frame(img=scale.scale(image), pts=frame / 25, stream=0)
    writer.close()
    return path


def pack_with_videos(folder: Path, seconds: float = 2.0) -> Path:
    """A copy of the default pack with two short videos."""
    target = folder / "pack"
    shutil.copytree(CONTENT, target)
    make_clip(target / "media" / "clip.mp4", seconds)
    make_clip(target / "media" / "second.mp4", 1)
    (target / "videos.yaml").write_text(
        "videos:\n"
        "  - id: mediation-basics\n"
        "    title: 人民调解是什么\n"
        "    file: media/clip.mp4\n"
        f"    duration: {int(seconds)}\n"
        "    description: 测试用短片\n"
        "  - id: second\n"
        "    title: 第二个视频\n"
        "    file: media/second.mp4\n"
        "    duration: 200\n",
        encoding="utf-8",
    )
    return target
