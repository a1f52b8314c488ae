"""What the instance folder holds stays the app's alone (issue 8, item 10): the folder 0700; the database,
the signing keys, the secrets and the demo logins 0600, whatever the umask was."""
import os
import stat

from tests.conftest import PG_ADMIN_URL, dispose, make_app


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_instance_folder_and_files_are_private(tmp_path):
    old = os.umask(0o022)            # a usual umask: new files 0644, folders 0755
    try:
        inst = tmp_path / "instance"
        app = make_app(inst)
    finally:
        os.umask(old)
    try:
        assert mode(inst) == 0o700
        keys = inst / "keys"
        assert mode(keys) == 0o700 and [mode(k) for k in keys.glob("*.key.pem")] == [0o600]
        for name in ("secret-key", "admin-token", "auth-secret"):
            assert mode(inst / name) == 0o600, name
        if not PG_ADMIN_URL:
            assert mode(inst / "test.db") == 0o600
    finally:
        dispose(app)
