"""A private cupsd for the tests: its own config dir, spool and port on 127.0.0.1.

Started once per test session by the `cups_server` fixture; the system's CUPS (if any) is
left alone. Runs as root (CI) with `User lp`, or as the current user otherwise.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CUPSD_CANDIDATES = ("/usr/sbin/cupsd", "/usr/local/sbin/cupsd")


class CupsUnavailable(Exception):
    pass


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


@dataclass
class CupsServer:
    root: Path
    port: int
    process: subprocess.Popen

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ, CUPS_SERVER=self.server, LC_ALL="C", LANG="C")
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), env=self.env(), capture_output=True, text=True,
                              timeout=20, check=check)

    def add_raw_queue(self, name: str, device_uri: str) -> None:
        self.run("lpadmin", "-p", name, "-E", "-v", device_uri, "-m", "raw")

    def log_tail(self, lines: int = 30) -> str:
        log = self.root / "log" / "error_log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cupsd(timeout: float = 15.0) -> CupsServer:
    cupsd = next((c for c in CUPSD_CANDIDATES if os.path.exists(c)), shutil.which("cupsd"))
    if not cupsd or not shutil.which("lpadmin") or not shutil.which("lp"):
        raise CupsUnavailable("cupsd, lpadmin or lp is not installed (apt-get install cups cups-bsd cups-client)")
    if os.geteuid() == 0:
        user, group = "lp", "lp"
        try:
            pwd.getpwnam(user)
            grp.getgrnam(group)
        except KeyError as exc:
            raise CupsUnavailable("the lp user or group is missing") from exc
    else:
        user = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
    # Not under pytest's 0700 tmp dir: the backend runs as `lp` and must read the spool.
    root = Path(tempfile.mkdtemp(prefix="ihr-cups-"))
    root.chmod(0o755)
    for sub in ("conf", "spool", "cache", "state", "log", "tmp"):
        (root / sub).mkdir()
    port = _free_port()
    (root / "conf" / "cups-files.conf").write_text(
        f"ServerRoot {root}/conf\nRequestRoot {root}/spool\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nTempDir {root}/tmp\nAccessLog {root}/log/access_log\n"
        f"ErrorLog {root}/log/error_log\nPageLog {root}/log/page_log\n"
        f"ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
        f"User {user}\nGroup {group}\nSystemGroup {grp.getgrgid(os.getegid()).gr_name}\n"
    )
    (root / "conf" / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel info\nWebInterface No\nBrowsing No\n"
        "DefaultAuthType None\nPreserveJobHistory Yes\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    for name in ("raw.convs", "raw.types"):
        if os.path.exists(f"/etc/cups/{name}"):
            shutil.copy(f"/etc/cups/{name}", root / "conf" / name)
    if os.geteuid() == 0:
        lp_uid, lp_gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid
        for sub in ("spool", "tmp", "cache"):
            os.chown(root / sub, 0, lp_gid)
            (root / sub).chmod(0o770)
        del lp_uid
    process = subprocess.Popen(
        [cupsd, "-f", "-c", str(root / "conf" / "cupsd.conf"), "-s", str(root / "conf" / "cups-files.conf")],
        stdout=subprocess.DEVNULL, stderr=open(root / "log" / "stderr", "wb"),
    )
    server = CupsServer(root, port, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = (root / "log" / "stderr").read_text(errors="replace") + server.log_tail()
            shutil.rmtree(root, ignore_errors=True)
            raise CupsUnavailable(f"cupsd exited with {process.returncode}: {detail[-800:]}")
        result = server.run("lpstat", "-r", check=False)
        if "scheduler is running" in result.stdout:
            return server
        time.sleep(0.2)
    detail = server.log_tail()
    server.stop()
    raise CupsUnavailable(f"cupsd did not answer within {timeout:g} s: {detail[-800:]}")
