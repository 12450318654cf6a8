"""The HTTP API and the review page (``veil serve``).

A thin layer over the library: each endpoint validates its request, picks the policy its
options ask for and runs one library call in a worker process. No rule of Veil lives here
or in the page's JavaScript. Where things are:

* :mod:`.settings` -- :class:`ServiceSettings`, the limits and keys, validated at start;
* :mod:`.models` -- request and response bodies, and the errors each route declares;
* :mod:`.dependencies` -- the token check and :func:`~.dependencies.policy_for`, the one
  place where request fields become a policy;
* :mod:`.routes` -- the endpoints and the review page;
* :mod:`.workers` -- the worker processes and the deadline; :mod:`.jobs` -- what a worker
  does with a job;
* :mod:`.error_map` -- errors to responses; :mod:`.middleware` -- body limit, security
  headers, access log, last-resort 500;
* :mod:`.app` -- :func:`create_app` and :func:`serve`.

Endpoints, all under ``/v1`` (the OpenAPI schema is at ``/openapi.json``)::

    GET  /v1/health    liveness; says whether a token is required (no auth)
    GET  /v1/info      presets, labels, operators and limits (for the review page)
    POST /v1/detect    entities with every mention's offsets, nothing transformed
    POST /v1/redact    transformed text + the JSON report (+ its audit on request)
    POST /v1/audit     re-identification findings on an already redacted text
    POST /v1/restore   reverse the ``encrypt`` operator (server started with a key)
    POST /v1/extract   a .txt or .docx upload as plain text (for the review page)

Security model:

* a bearer token is required on every endpoint except ``/``, static assets, the schema
  and ``/v1/health``; :class:`ServiceSettings` refuses to exist without a token unless
  ``insecure_no_auth`` is set;
* request bodies above ``max_body_bytes`` get 413 before the body is parsed;
* documents run in ``concurrency`` worker processes; a request that finds no free worker
  within ``timeout`` seconds gets 503, one not done within ``timeout`` gets 504 and its
  worker is killed and replaced, so the deadline holds even against input that stalls a
  detector, and other requests are served meanwhile;
* request content never appears in logs or error bodies: validation errors are reduced to
  their location and type, option errors name the field and its valid values, library
  errors carry only ids, offsets and labels by contract, any other exception is logged by
  type, and the access log writes the route template and status, not the path as sent;
* CORS is off unless origins are given.

Offsets in responses are code points into the text that was sent (Python ``str``
indexing), like everywhere else in Veil.
"""

from __future__ import annotations

from .app import create_app, serve
from .docx import docx_to_text
from .settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app", "docx_to_text", "serve"]
