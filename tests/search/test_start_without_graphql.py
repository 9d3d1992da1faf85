"""The GraphQL machinery is not part of the start: graphql-core is imported and the schema built by the first
search (a third of a second before the first answer otherwise), nor is the search view's SQLite (its tables are
made by the first record or query), and that first search answers as usual."""
import subprocess
import sys

SCRIPT = """
import sys, time
from mockserver import create_app
app = create_app({"access_log": False})
LATER = ("graphql", "sqlite3", "mockserver.search.sql", "ctypes")
print([m for m in LATER if m in sys.modules], app.extensions["wxcc"].history._tables)
client = app.test_client()
token = client.post("/_mock/tokens", json={"user": "full.admin@acme.example"}).get_json()["access_token"]
now = int(time.time() * 1000)
query = "{ task(from: %d, to: %d) { tasks { id } } }" % (now - 3_600_000, now)
resp = client.post("/search", json={"query": query},
                   headers={"Authorization": "Bearer " + token})
print(resp.status_code, [m for m in LATER if m in sys.modules], sorted(app.extensions["wxcc"].history.tables),
      resp.get_data(as_text=True))
"""


def test_graphql_and_sqlite_are_loaded_by_the_first_search_not_at_start():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    at_start, after = out.stdout.splitlines()[-2:]
    assert at_start == "[] None", at_start
    assert after == ("200 ['graphql', 'sqlite3', 'mockserver.search.sql'] ['agentSession', 'task'] "
                     '{"data":{"task":{"tasks":[]}}}'), after
