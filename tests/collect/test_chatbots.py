"""Chatbot flows: Rasa domain/data YAML and a Dialogflow ES agent export (folder and zip)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from omniaudit.collect import CollectContext, CollectResult, get_connector
from omniaudit.config import Channel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AGENT = FIXTURES / "service" / "dialogflow" / "NorthwindHelp"


def collect(connector: str, source: str, base_dir: Path = FIXTURES, **options: Any) -> CollectResult:
    channel = Channel(id="bot", type="service", connector=connector, source=source, options=options)
    return get_connector(channel, CollectContext(base_dir=base_dir)).collect()


def test_rasa_responses_with_lines_sections_channels_and_buttons() -> None:
    result = collect("rasa", "service/rasa")
    assert result.failures == []
    (domain,) = result.documents  # data/ files hold no responses
    assert domain.uri == "service/rasa/domain.yml"
    assert [(b.scope, str(b.location), b.text) for b in domain.blocks] == [
        (
            "bot",
            "service/rasa/domain.yml:10 [response: utter_greet]",
            "Hi! I'm the Northwind assistant. How can I help?",
        ),
        (
            "bot",
            "service/rasa/domain.yml:11 [response: utter_greet [facebook]]",
            "Hello, welcome to Northwind Outfitters.",
        ),
        (
            "bot",
            "service/rasa/domain.yml:15 [response: utter_returns]",
            "You can return any item free within 30 days. We email you a prepaid label.",
        ),
        ("bot", "service/rasa/domain.yml:19 [response: utter_returns, button]", "Start a return"),
        ("bot", "service/rasa/domain.yml:21 [response: utter_returns, button]", "Talk to an agent"),
        (
            "bot",
            "service/rasa/domain.yml:25 [response: utter_hours]",
            "Our team is available Monday to Friday, 9am-6pm.",
        ),
    ]
    assert result.stats["responses"] == 6


def test_rasa_examples_are_user_blocks_when_asked() -> None:
    result = collect("rasa", "service/rasa", include_examples=True)
    nlu = next(doc for doc in result.documents if doc.uri.endswith("nlu.yml"))
    assert [(b.scope, b.location.line, b.location.section, b.text) for b in nlu.blocks] == [
        ("user", 5, "intent: ask_returns", "how do I return my jacket?"),
        ("user", 6, "intent: ask_returns", "can I send something back"),
        ("user", 9, "intent: ask_hours", "when are you open"),
    ]


def test_rasa_bad_yaml_and_empty_project(tmp_path: Path) -> None:
    (tmp_path / "domain.yml").write_text('responses:\n  utter_x:\n  - text: "unclosed\n', encoding="utf-8")
    (failure,) = collect("rasa", ".", base_dir=tmp_path).failures
    assert failure.source == "domain.yml"
    assert failure.error.startswith("invalid YAML at line 4: ")
    (failure,) = collect("rasa", "nothing", base_dir=tmp_path / "domain.yml").failures
    assert failure.error == "not found; check the channel's source path"
    empty = tmp_path / "empty"
    empty.mkdir()
    (failure,) = collect("rasa", "empty", base_dir=tmp_path).failures
    assert failure.error == "no domain.yml, domain/ or data/ found; is this a Rasa project?"


def test_dialogflow_folder_intents_and_message_types() -> None:
    result = collect("dialogflow", "service/dialogflow")
    assert result.failures == []
    welcome, returns = result.documents
    assert welcome.title == "Dialogflow intent: Default Welcome Intent"
    assert welcome.language == "en"  # the agent's language
    assert [b.text for b in welcome.blocks] == [
        "Hi! Welcome to Northwind. Go further, together.",
        "Need help?",
        "We answer Monday to Friday, 9am-6pm.",
        "Contact us",
        "Choose a topic",
        "Returns",
        "Delivery",
    ]
    assert returns.uri == "service/dialogflow/NorthwindHelp/intents/Returns.json"
    assert [(b.location.section, b.text) for b in returns.blocks] == [
        ("intent: Returns (en)", "Returns are free within 30 days."),
        ("intent: Returns (en)", "You have 30 days to send it back, free of charge."),
        ("intent: Returns (en)", "Start a return"),
        ("intent: Returns (en)", "Opening hours"),
        ("intent: Returns (fr)", "Les retours sont gratuits pendant 30 jours."),
    ]
    assert all(b.scope == "bot" for b in returns.blocks)
    with_examples = collect("dialogflow", "service/dialogflow", include_examples=True).documents[1]
    assert with_examples.blocks[-1].scope == "user"
    assert with_examples.blocks[-1].text == "how do I return my jacket?"


def test_dialogflow_zip_export_and_a_truncated_intent(tmp_path: Path) -> None:
    archive = tmp_path / "NorthwindHelp.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(AGENT.rglob("*.json")):
            zipped.write(path, path.relative_to(AGENT).as_posix())
        zipped.writestr("intents/Broken.json", '{"name": "Broken", "responses": [{"messages": [')
    result = collect("dialogflow", "NorthwindHelp.zip", base_dir=tmp_path)
    assert [doc.title for doc in result.documents] == [
        "Dialogflow intent: Default Welcome Intent",
        "Dialogflow intent: Returns",
    ]
    assert result.documents[1].uri == "NorthwindHelp.zip!/intents/Returns.json"
    assert [(f.source, f.error) for f in result.failures] == [
        (
            "NorthwindHelp.zip!/intents/Broken.json",
            "invalid JSON: the file ends early at line 1 (truncated export?); re-export it",
        )
    ]
    (tmp_path / "not-an-export").mkdir()
    (failure,) = collect("dialogflow", "not-an-export", base_dir=tmp_path).failures
    assert failure.error == "no intents/*.json found; is this a Dialogflow ES export?"
