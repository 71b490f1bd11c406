"""jobs.launcher (what `make run` runs): a dead worker is reported and restarted, and the
worker stops when the server does."""

import io
import sys

from jobs.launcher import Launcher, Process

PY = sys.executable


def sleeper(seconds: float) -> list[str]:
    return [PY, "-c", f"import time; time.sleep({seconds})"]


def test_a_worker_that_dies_is_reported_and_restarted_then_given_up_on():
    err = io.StringIO()
    launcher = Launcher(
        main=Process("development server", sleeper(30)),
        helpers=[Process("job worker", [PY, "-c", "raise SystemExit(3)"])],
        err=err,
        max_restarts=2,
        poll_every=0.05,
    )

    status = launcher.run()

    text = err.getvalue()
    assert status == 3
    assert "The job worker stopped (exit status 3); see the errors above." in text
    assert "Restarting it (2 of 2)." in text
    assert "restarted 2 times already: stopping" in text
    assert launcher.main.popen.poll() is not None  # the server was stopped too


def test_when_the_server_stops_the_worker_is_stopped_too():
    err = io.StringIO()
    worker = Process("job worker", sleeper(30))
    launcher = Launcher(
        main=Process("development server", [PY, "-c", "pass"]),
        helpers=[worker],
        err=err,
        poll_every=0.05,
    )

    assert launcher.run() == 0
    assert worker.popen.poll() is not None
    assert "The development server stopped (exit status 0)." in err.getvalue()


def test_ctrl_c_stops_both(monkeypatch):
    err = io.StringIO()
    server, worker = Process("development server", sleeper(30)), Process("job worker", sleeper(30))

    def interrupt(seconds):
        raise KeyboardInterrupt

    launcher = Launcher(main=server, helpers=[worker], err=err, sleep=interrupt)

    assert launcher.run() == 0
    assert server.popen.poll() is not None
    assert worker.popen.poll() is not None
    assert "Stopping the server and the job worker." in err.getvalue()


def test_sigterm_stops_both():
    import os
    import signal

    err = io.StringIO()
    server, worker = Process("development server", sleeper(30)), Process("job worker", sleeper(30))

    def terminate(seconds):
        os.kill(os.getpid(), signal.SIGTERM)

    launcher = Launcher(main=server, helpers=[worker], err=err, sleep=terminate)

    assert launcher.run() == 0
    assert server.popen.poll() is not None
    assert worker.popen.poll() is not None
    assert signal.getsignal(signal.SIGTERM) is not None  # put back
