"""A real IMAP server for tests: Debian's dovecot on a random loopback port, in a temp dir.

Started unprivileged from a generated config (`dovecot -c`): its own base_dir, state and
maildir; a passwd-file with a plain password; no TLS. Run as an ordinary user, dovecot's
internal and login processes run as that user; run as root (containers), dovecot refuses
root for them, so the Debian package's own `dovecot` / `dovenull` users are used instead.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "mayor"
PASSWORD = "secret-password-1"


def available() -> bool:
    return Path(DOVECOT).exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message with IMAP APPEND."""
        client = self.client()
        try:
            typ, data = client.append(f'"{folder}"', None, None, raw)
            assert typ == "OK", data
        finally:
            client.logout()

    def create_folder(self, folder: str) -> None:
        client = self.client()
        try:
            client.create(f'"{folder}"')
        finally:
            client.logout()

    def recreate_folder(self, folder: str) -> None:
        """Delete and create a folder: the server gives it a new UIDVALIDITY."""
        client = self.client()
        try:
            client.delete(f'"{folder}"')
            typ, data = client.create(f'"{folder}"')
            assert typ == "OK", data
        finally:
            client.logout()

    def uid_validity(self, folder: str = "INBOX") -> int:
        client = self.client()
        try:
            client.select(f'"{folder}"', readonly=True)
            value = client.untagged_responses["UIDVALIDITY"][-1]
            assert isinstance(value, bytes)
            return int(value)
        finally:
            client.logout()


def _users() -> tuple[str, str, int, int]:
    """Return (internal user, login user, mail uid, mail gid) for dovecot's processes."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return me, me, os.geteuid(), os.getegid()
    internal = pwd.getpwnam("dovecot")
    pwd.getpwnam("dovenull")
    return "dovecot", "dovenull", internal.pw_uid, internal.pw_gid


def _alive(pid: int) -> bool:
    """Return whether a process runs (a zombie left to an init that does not reap is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@contextmanager
def running_dovecot() -> Iterator[ImapServer]:
    """Start dovecot on a free loopback port; stop it and remove its files afterwards."""
    internal, login, uid, gid = _users()
    root = Path(tempfile.mkdtemp(prefix="hromada-imap-"))
    root.chmod(0o755)  # the mail user reaches its maildir through it
    for name in ("mail", "home"):
        (root / name).mkdir()
        os.chown(root / name, uid, gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    group = internal if os.geteuid() == 0 else ""
    config = f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = hromada-test-{port}
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
{f"default_internal_group = {group}" if group else ""}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
    (root / "dovecot.conf").write_text(config)
    subprocess.run([DOVECOT, "-c", str(root / "dovecot.conf")], check=True, timeout=30)  # noqa: S603
    pid_file = root / "run" / "master.pid"
    server = ImapServer("127.0.0.1", port, USER, PASSWORD, root)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                server.client().logout()
                break
            except (OSError, imaplib.IMAP4.error):
                if time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text(errors="replace")
                    raise RuntimeError(f"dovecot did not start:\n{log}") from None
                time.sleep(0.1)
        yield server
    finally:
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(50):
                    if not _alive(pid):
                        break
                    time.sleep(0.1)
            except ProcessLookupError:
                pass
        shutil.rmtree(root, ignore_errors=True)
