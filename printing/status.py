"""Zebra `~HS` (host status return): parse the three STX...ETX strings.

String 1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l
    b paper out, c pause, dddd label length (dots), eee formats in receive buffer,
    f buffer full, g diagnostic mode, h partial format, j corrupt RAM, k under / l over temp.
String 2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www
    o head up, p ribbon out, q thermal transfer mode, r print mode, s print width mode,
    t label waiting, uuuuuuuu labels remaining in batch, v format while printing,
    www graphics stored.
String 3: xxxx,y (password, static RAM installed).
(ZPL II Programming Guide, ~HS.) Newer firmware sends nothing while media is out, the ribbon
is out or the head is open: silence is "not ready" (`PrinterNotResponding`).
"""

from __future__ import annotations

from dataclasses import dataclass

from printing import errors

STX = b"\x02"
ETX = b"\x03"
HS_COMMAND = b"~HS"


@dataclass(frozen=True, slots=True)
class HostStatus:
    paper_out: bool
    paused: bool
    label_length_dots: int
    formats_in_buffer: int
    buffer_full: bool
    head_up: bool
    ribbon_out: bool
    labels_remaining: int
    thermal_transfer: bool = False
    under_temperature: bool = False
    over_temperature: bool = False

    def problem(self, *, before_job: bool = True) -> errors.PrinterError | None:
        """The first fault as a typed error, or None when the printer is ready.

        A full receive buffer only blocks a new job; after a job it is normal.
        """
        if self.head_up:
            return errors.HeadOpen()
        if self.paper_out:
            return errors.PaperOut()
        if self.ribbon_out:
            return errors.RibbonOut()
        if self.paused:
            return errors.Paused()
        if before_job and self.buffer_full:
            return errors.BufferFull()
        if self.over_temperature:
            return errors.PrinterError("Skriverhodet er for varmt – vent litt og prøv igjen")
        return None

    def lines(self) -> list[str]:
        """Norwegian, one fact a line, for `ihr printer status`."""
        yes = {True: "ja", False: "nei"}
        return [
            f"Tom for etiketter: {yes[self.paper_out]}",
            f"Skriverhode åpent: {yes[self.head_up]}",
            f"Pause: {yes[self.paused]}",
            f"Tom for fargebånd: {yes[self.ribbon_out]}",
            f"Mottaksbuffer full: {yes[self.buffer_full]}",
            f"Etikettformater i bufferet: {self.formats_in_buffer}",
            f"Etiketter igjen i jobben: {self.labels_remaining}",
            f"Etikettlengde: {self.label_length_dots} punkter",
        ]


class StatusParseError(ValueError):
    pass


def split_frames(data: bytes) -> list[bytes]:
    """The complete STX...ETX frames in `data` (contents only), in order."""
    frames = []
    pos = 0
    while True:
        start = data.find(STX, pos)
        if start < 0:
            break
        end = data.find(ETX, start + 1)
        if end < 0:
            break
        frames.append(data[start + 1 : end])
        pos = end + 1
    return frames


def _flag(fields: list[str], index: int) -> bool:
    return fields[index].strip() == "1"


def _int(fields: list[str], index: int) -> int:
    return int(fields[index].strip())


def parse_host_status(data: bytes) -> HostStatus:
    """Parse a complete ~HS answer (three frames). StatusParseError if it is not one."""
    frames = split_frames(data)
    if len(frames) < 3:
        raise StatusParseError(f"expected 3 status strings, got {len(frames)}")
    try:
        s1 = frames[0].decode("ascii").split(",")
        s2 = frames[1].decode("ascii").split(",")
        if len(s1) < 12 or len(s2) < 9:
            raise StatusParseError("short status string")
        return HostStatus(
            paper_out=_flag(s1, 1),
            paused=_flag(s1, 2),
            label_length_dots=_int(s1, 3),
            formats_in_buffer=_int(s1, 4),
            buffer_full=_flag(s1, 5),
            under_temperature=_flag(s1, 10),
            over_temperature=_flag(s1, 11),
            head_up=_flag(s2, 2),
            ribbon_out=_flag(s2, 3),
            thermal_transfer=_flag(s2, 4),
            labels_remaining=_int(s2, 8),
        )
    except (UnicodeDecodeError, ValueError, IndexError) as exc:
        if isinstance(exc, StatusParseError):
            raise
        raise StatusParseError(str(exc)) from exc


def format_host_status(status: HostStatus) -> bytes:
    """The ~HS answer a printer with this status sends (used by the test printer)."""
    b = lambda v: "1" if v else "0"  # noqa: E731
    s1 = (
        f"030,{b(status.paper_out)},{b(status.paused)},{status.label_length_dots:04d},"
        f"{status.formats_in_buffer:03d},{b(status.buffer_full)},0,0,000,0,"
        f"{b(status.under_temperature)},{b(status.over_temperature)}"
    )
    s2 = (
        f"001,0,{b(status.head_up)},{b(status.ribbon_out)},{b(status.thermal_transfer)},2,6,0,"
        f"{status.labels_remaining:08d},1,000"
    )
    s3 = "1234,0"
    return b"".join(STX + s.encode() + ETX + b"\r\n" for s in (s1, s2, s3))
