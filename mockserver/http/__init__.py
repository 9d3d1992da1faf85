"""The request pipeline shared by every route: error bodies (``errors``), one body parser (``inputs``), CORS,
the request log (``reqlog``), JSON helpers, one paging helper and the answer for unserved paths."""
