"""Storage Gateway's URLs, where moto's server looks for them (the backend's module name with urls for models)."""

from __future__ import annotations

from awsemu.extensions.storagegateway.models import URL_BASE
from awsemu.extensions.storagegateway.responses import StorageGatewayResponse

url_bases = [URL_BASE]
url_paths = {"{0}/$": StorageGatewayResponse.dispatch}
