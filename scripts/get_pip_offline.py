"""Offline stand-in for the get-pip script that ansible-test downloads into each of its venvs.

ansible-test runs it as `python get_pip_X_Y.py [pip options] pip==X.Y --no-setuptools --no-wheel`.
It installs pip from the interpreter's own ensurepip, then the requested pip from the package index.
"""

import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *args])
