# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Independent AWS reads run side by side in a thread pool, as the layers' one-read modules (vpc_layer, ecr_layer,
ssm_layer) make them: with SideBySide(max_workers) as reads: answer = reads.start(function, *args); ...; answer().

With max_workers 1 there is no pool: each read runs at once, in the order started (the unit tests' Stubber answers
calls in the order it was given them)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor


class SideBySide:
    def __init__(self, max_workers):
        self._max_workers = max_workers
        self._pool = None

    def __enter__(self):
        if self._max_workers > 1:
            self._pool = ThreadPoolExecutor(max_workers=self._max_workers)
        return self

    def __exit__(self, *exc_info):
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        return False

    def start(self, function, *args):
        """Starts function(*args); returns a callable giving its value (or raising its exception)."""
        if self._pool is None:
            value = function(*args)
            return lambda: value
        return self._pool.submit(function, *args).result
