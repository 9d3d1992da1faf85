"""docs/activity.md carries the state-machine tables exactly as the code has them."""
from __future__ import annotations

from pathlib import Path

from mockserver.activity import machine

DOC = Path(__file__).resolve().parents[2] / "docs" / "activity.md"


def test_the_page_holds_the_tables_of_the_code():
    assert machine.markdown_tables() in DOC.read_text(encoding="utf-8"), "regenerate the tables in docs/activity.md"


def test_every_state_and_action_appears_in_the_tables():
    text = machine.markdown_tables()
    for state in (*machine.TASK_STATES, *machine.AGENT_STATES):
        assert f"| **{state}** |" in text
    for action in (*machine.TASK_ACTIONS, *machine.AGENT_ACTIONS):
        assert f"`{action}`" in text
