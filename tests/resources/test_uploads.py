"""Multipart uploads (audio files, personal greetings): real WAV bytes in, the same bytes out, bad files refused."""
from __future__ import annotations

import base64
import io
import json

import pytest

from mockserver import create_app

from ..conftest import assert_webex_error
from ..uploads import multipart, wav
from .conftest import SPECS, new_cfg

AUDIO = SPECS["audio-file"]
GREETING = SPECS["agent-personal-greeting"]


def info(**extra) -> dict:
    return {"name": "welcome.wav", "contentType": "AUDIO_WAV", "description": "Welcome", **extra}


def upload(cfg, body: dict, audio: bytes | None = None, method="POST", path="audio-file", spec=AUDIO, **kw):
    return cfg.client.open(cfg.url(path), method=method, headers=cfg.headers, **multipart(spec, body, audio, **kw))


def download(cfg, url: str):
    """The bytes behind a ``url`` (a public link, like the vendor's pre-signed ones: no token sent)."""
    return cfg.client.get("/" + url.split("://", 1)[1].split("/", 1)[1])


@pytest.fixture(scope="module")
def small_app():
    """An app with small limits: 4 KiB per file, three files per organisation."""
    return create_app({"access_log": False, "audio_max_bytes": 4096, "audio_max_files": 3})


@pytest.fixture
def cfg(small_app):
    return new_cfg(small_app)


def test_a_real_wav_comes_back_byte_for_byte(cfg):
    sound = wav(0.2)
    resp = upload(cfg, info(), sound)
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert {k: doc[k] for k in ("name", "contentType", "description")} == info()
    assert len(doc["blobId"]) == 64 and "url" not in doc and "audioFile" not in doc
    got = cfg.get(cfg.url("audio-file/<id>", doc["id"], includeUrl="true")).get_json()
    assert got == {**doc, "url": got["url"]} and got["url"].startswith("http")
    body = download(cfg, got["url"])
    assert body.status_code == 200 and body.mimetype == "audio/wav" and body.data == sound
    listed = cfg.get(cfg.url("v2/audio-file")).get_json()["data"]
    assert [d["id"] for d in listed] == [doc["id"]]


@pytest.mark.parametrize("audio,status,reason", [
    (b"this is a text file, not audio", 400, "not a WAV"),
    (b"", 400, "empty"),
    (b"RIFF\x10\x00\x00\x00WAVEjunkjunk", 400, "not a readable WAV"),
    (wav(1.0), 413, "at most 4096"),
])
def test_bad_files_are_refused_and_nothing_is_stored(cfg, audio, status, reason):
    assert_webex_error(upload(cfg, info(), audio), status, reason)
    assert cfg.get(cfg.url("v2/audio-file")).get_json()["data"] == []
    assert cfg.rt.store.blobs.count(cfg.org) == 0


def test_the_description_must_be_an_audio_wav(cfg):
    assert_webex_error(upload(cfg, info(name="welcome.mp3")), 400, "name: must have a valid extension")
    assert_webex_error(upload(cfg, info(contentType="TEXT_HTML")), 400, "contentType")
    assert_webex_error(upload(cfg, info(contentType="AUDIO_FLAC")), 400, "contentType")
    assert_webex_error(upload(cfg, {"contentType": "AUDIO_WAV"}), 400, "name:")


def test_missing_parts_are_400(cfg):
    resp = cfg.client.post(cfg.url("audio-file"), headers=cfg.headers, content_type="multipart/form-data",
                           data={"audioFileInfo": json.dumps(info())})
    assert_webex_error(resp, 400, "audioFile: required")
    resp = cfg.client.post(cfg.url("audio-file"), headers=cfg.headers, content_type="multipart/form-data",
                           data={"audioFile": (io.BytesIO(wav()), "a.wav")})
    assert_webex_error(resp, 400, "audioFileInfo: required")
    resp = cfg.client.post(cfg.url("audio-file"), headers=cfg.headers, content_type="multipart/form-data",
                           data={"audioFileInfo": "{not json", "audioFile": (io.BytesIO(wav()), "a.wav")})
    assert_webex_error(resp, 400, "audioFileInfo: not valid JSON")


def test_the_json_form_carries_base64_bytes(cfg):
    sound = wav(0.05)
    post = lambda body: cfg.client.post(cfg.url("audio-file"), json=body, headers=cfg.headers)  # noqa: E731
    resp = post({"audioFileInfo": info(), "audioFile": base64.b64encode(sound).decode()})
    assert resp.status_code == 201, resp.get_json()
    assert cfg.rt.store.blobs.get(cfg.org, resp.get_json()["blobId"]) == sound
    bad = post({"audioFileInfo": info(name="b.wav"), "audioFile": "%%%"})
    assert_webex_error(bad, 400, "base64")


def test_replace_swaps_the_bytes_and_forgets_the_old_ones(cfg):
    first, second = wav(0.1, level=10), wav(0.1, level=90)
    doc = upload(cfg, info(), first).get_json()
    old_url = cfg.get(cfg.url("audio-file/<id>", doc["id"], includeUrl="true")).get_json()["url"]
    resp = upload(cfg, {**doc, "description": "Welcome, new voice"}, second, method="PUT",
                  path=f"audio-file/{doc['id']}")
    assert resp.status_code == 200, resp.get_json()
    after = resp.get_json()
    assert after["version"] == 1 and after["blobId"] != doc["blobId"] and after["description"] == "Welcome, new voice"
    new_url = cfg.get(cfg.url("audio-file/<id>", doc["id"], includeUrl="true")).get_json()["url"]
    assert download(cfg, new_url).data == second
    assert_webex_error(download(cfg, old_url), 404)
    patched = cfg.patch(cfg.url("audio-file/<id>", doc["id"]), {"description": "Patched"}).get_json()
    assert patched["description"] == "Patched" and patched["blobId"] == after["blobId"]


def test_delete_forgets_the_bytes_unless_another_file_has_them(cfg):
    sound = wav(0.1)
    a = upload(cfg, info(name="a.wav"), sound).get_json()
    b = upload(cfg, info(name="b.wav"), sound).get_json()
    assert a["blobId"] == b["blobId"] and cfg.rt.store.blobs.count(cfg.org) == 1  # content-addressed: one copy
    assert cfg.delete(cfg.url("audio-file/<id>", a["id"])).status_code == 204
    assert cfg.rt.store.blobs.get(cfg.org, b["blobId"]) == sound
    assert cfg.delete(cfg.url("audio-file/<id>", b["id"])).status_code == 204
    assert cfg.rt.store.blobs.count(cfg.org) == 0


def test_an_organisation_holds_a_bounded_number_of_files(cfg):
    for n in range(3):
        assert upload(cfg, info(name=f"p{n}.wav"), wav(0.05, level=n * 10)).status_code == 201
    assert_webex_error(upload(cfg, info(name="p3.wav"), wav(0.05, level=99)), 400, "already holds 3")
    assert upload(cfg, info(name="p4.wav"), wav(0.05, level=0)).status_code == 201  # same bytes: no new blob


def test_a_prompt_in_use_refuses_deletion_and_lists_its_referrers(cfg):
    doc = upload(cfg, info()).get_json()
    ep = cfg.create("entry-point", musicOnHoldId=doc["id"])
    body = assert_webex_error(cfg.delete(cfg.url("audio-file/<id>", doc["id"])), 412)
    assert body["error"]["referencedEntities"] == ["entry-point"]
    refs = cfg.get(cfg.url("audio-file/<id>/incoming-references", doc["id"])).get_json()
    assert [d["id"] for d in refs["data"]] == [ep["id"]]
    assert_webex_error(cfg.post(cfg.url("entry-point"), cfg.payload("entry-point", musicOnHoldId="nope")), 400,
                       "musicOnHoldId")


def test_uploads_survive_a_restart_outside_the_log(tmp_path):
    path = str(tmp_path / "state.db")
    sound = wav(0.3)
    app = create_app({"access_log": False, "storage": path})
    cfg = new_cfg(app)
    doc = upload(cfg, info(), sound).get_json()
    app.extensions["wxcc"].store.close()
    assert sound not in b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())  # not in the log
    again = create_app({"access_log": False, "storage": path})
    rt = again.extensions["wxcc"]
    assert rt.store.get(cfg.org, "audio-file", doc["id"]) == doc
    assert rt.store.blobs.get(cfg.org, doc["blobId"]) == sound
    rt.store.close()


def test_a_greeting_belongs_to_an_agent_on_v1_and_v2_paths(cfg):
    user = cfg.create("user")
    sound = wav(0.1)
    made = upload(cfg, {"name": "hello.wav", "contentType": "AUDIO_WAV", "agentId": user["id"],
                        "attributeTag": "morning"}, sound, path="v2/agent-personal-greeting", spec=GREETING)
    assert made.status_code == 201, made.get_json()
    doc = made.get_json()
    assert (doc["firstName"], doc["lastName"], doc["email"], doc["ciUserId"], doc["agentActive"]) == \
        (user["firstName"], user["lastName"], user["email"], user["ciUserId"], True)
    for path in ("agent-personal-greeting/<id>", "v2/agent-personal-greeting/<id>"):
        assert cfg.get(cfg.url(path, doc["id"])).get_json() == doc
    url = cfg.get(cfg.url("agent-personal-greeting/<id>", doc["id"], includeUrl="true")).get_json()["url"]
    assert download(cfg, url).data == sound
    v3 = cfg.get(cfg.url("v3/agent-personal-greeting", search=user["lastName"])).get_json()["data"]
    assert [d["id"] for d in v3] == [doc["id"]]
    bad = upload(cfg, {"name": "x.wav", "contentType": "AUDIO_WAV", "agentId": "nobody"},
                 path="agent-personal-greeting",
                 spec=GREETING)
    assert_webex_error(bad, 400, "agentId")


def test_delete_reference_removes_an_agents_greetings(cfg):
    user, other = cfg.create("user"), cfg.create("user")
    for agent in (user, user, other):
        body = {"name": "hi.wav", "contentType": "AUDIO_WAV", "agentId": agent["id"]}
        assert upload(cfg, body, path="agent-personal-greeting", spec=GREETING).status_code == 201
    resp = cfg.post(cfg.url("agent-personal-greeting/delete-reference"), {"references": {"agentId": user["id"]}})
    assert resp.status_code == 200 and resp.get_json()["details"]["deletedCount"] == 2
    left = cfg.get(cfg.url("v2/agent-personal-greeting")).get_json()["data"]
    assert [d["agentId"] for d in left] == [other["id"]]
    assert_webex_error(cfg.post(cfg.url("agent-personal-greeting/delete-reference"), {"references": {"x": "1"}}),
                       400, "not a reference field")
    assert_webex_error(cfg.post(cfg.url("agent-personal-greeting/delete-reference"), {"refs": 1}), 400, "references")


def test_a_flow_that_plays_a_prompt_by_name_or_id_references_it(cfg):
    by_name = upload(cfg, info(name="closed.wav")).get_json()
    by_id = upload(cfg, info(name="open.wav"), wav(0.05, level=5)).get_json()
    unused = upload(cfg, info(name="spare.wav"), wav(0.05, level=7)).get_json()
    for n, prompt in enumerate(({"audioFile": "closed.wav"}, {"promptId": by_id["id"]})):
        cfg.rt.store.put(cfg.org, "flow", {
            "id": f"flow{n}", "orgId": cfg.org, "name": f"Flow {n}", "version": 1,
            "createdDate": "2026-01-01T00:00:00.000Z", "lastModifiedDate": "2026-01-02T00:00:00.000Z",
            "flowVersion": {"activities": {"a1": {"name": "play-message", "properties": {"prompts": [prompt]}}}}})
    for doc, flow in ((by_name, "flow0"), (by_id, "flow1")):
        refs = cfg.get(cfg.url("audio-file/<id>/incoming-references", doc["id"])).get_json()
        assert refs["meta"]["referencedEntities"] == ["flow"]
        assert refs["data"] == [{"id": flow, "name": f"Flow {flow[-1]}", "additionalAttributes": {"type": "flow"},
                                 "createdDate": "2026-01-01T00:00:00.000Z",
                                 "lastModifiedDate": "2026-01-02T00:00:00.000Z", "version": 1}]
        assert assert_webex_error(cfg.delete(cfg.url("audio-file/<id>", doc["id"])), 412)["error"][
            "referencedEntities"] == ["flow"]
    assert cfg.get(cfg.url("audio-file/<id>/incoming-references", unused["id"])).get_json()["data"] == []
    assert cfg.delete(cfg.url("audio-file/<id>", unused["id"])).status_code == 204


def test_blob_folders_are_safe_for_any_organisation_id(tmp_path):
    from mockserver.storage.blobs import BlobStore

    store, root = BlobStore(str(tmp_path / "state.db")), tmp_path / "state.db.blobs"
    orgs = ("../../etc", "a/b", "x" * 300, "ok-org_1")
    shas = {org: store.put(org, org.encode()[:20] + b" bytes") for org in orgs}
    assert all(store.get(org, shas[org]) == org.encode()[:20] + b" bytes" and store.count(org) == 1 for org in orgs)
    folders = sorted(p.name for p in root.iterdir())
    assert len(folders) == 4 and "ok-org_1" in folders and all(p.parent == root for p in root.iterdir())
    assert not (tmp_path / "etc").exists()
    for org in orgs:
        store.drop_org(org)
        assert store.get(org, shas[org]) is None
    assert list(root.iterdir()) == []


def test_a_deeply_nested_info_part_is_a_400(cfg):
    deep = "[" * 500 + "]" * 500
    resp = cfg.client.post(cfg.url("audio-file"), headers=cfg.headers, content_type="multipart/form-data",
                           data={"audioFileInfo": deep, "audioFile": (io.BytesIO(wav()), "a.wav")})
    assert_webex_error(resp, 400, "audioFileInfo: not valid JSON")
