"""`simulator batch`'s progress: a bar on a terminal, a plain line now and then otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO

# Progress -----------------------------------------------------------------------------------------

def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Progress:
    """tqdm's bar (rate, time left) on a terminal; otherwise a plain line at most every `every` seconds."""

    def __init__(self, total: int | None, stream: IO[str] = sys.stderr, every: float = 10.0) -> None:
        self.total, self.stream, self.every = total, stream, every
        self.done = 0
        self.start = self.last = time.monotonic()
        self.bar = None
        if stream.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=total, unit=" foyers", desc="Foyers", file=stream, smoothing=0.1)

    def update(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        text = f"{self.done} foyers lus en {_duration(elapsed)} ({rate:.0f} foyers/s)"
        if self.total and rate > 0:
            text += f", {self.done * 100 // self.total} %, reste environ {_duration((self.total - self.done) / rate)}"
        return text

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
