"""The schema of the exam's comprehension types, `reading` and `dialogue` (content/FORMAT.md): a text, or
a dialogue of turns in several voices, and 3–6 questions, each of which becomes an item of its own
(`<exercise id>-<question id>`). Kept apart from `schema` so that module stays about the one-sentence
types; the problems are recorded the same way, at the line of the key to fix, all in one run.
"""

from __future__ import annotations

from learning_api.authoring.checks import Checker
from learning_api.authoring.facts import (
    AUDIO_EXTENSIONS,
    LessonFacts,
    check_choice,
    estonian,
    media,
    warn_fragments,
)
from learning_api.authoring.loader import LineDict, LineList
from learning_api.kinds import QUESTION_KINDS, READING_GENRES, RECORDINGS, TRUE_FALSE, VOICES
from learning_api.language import count_words

TYPE_KEYS = {
    "reading": ("genre", "title", "text", "questions"),
    "dialogue": ("situation", "recording", "audio", "turns", "questions"),
}
QUESTION_KEYS = {
    "choice": ("prompt", "options", "answer"),
    "true-false": ("statement", "answer"),
    "match": ("prompt", "pairs"),
    "short": ("prompt", "answer", "accept"),
}
QUESTIONS = (3, 6)
TURNS = (4, 16)
PAIRS = (2, 6)
TEXT_WORDS = {"A2": (80, 150), "B1": (150, 400)}  # the exam's reading texts; other levels are not checked


def dialogue_script(turns: list[tuple[str, str]]) -> str:
    """What a synthetic dialogue recording speaks, one ``voice: text`` line per turn: the tag
    `keelerada content audio` writes into the clip and validation compares with the turns, so editing a
    turn's text or voice shows as a clip to remake."""
    return "\n".join(f"{voice}: {text}" for voice, text in turns)


def check_reading(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    check.one_of(exercise, "genre", READING_GENRES, "a reading exercise")
    estonian(exercise, "title", check, facts, "a reading exercise", required=False)
    text = estonian(exercise, "text", check, facts, "a reading exercise")
    limits = TEXT_WORDS.get(facts.level or "")
    if text is not None and limits is not None and not limits[0] <= (count := count_words(text)) <= limits[1]:
        check.warn(
            exercise.line_of("text"),
            f"the text has {count} words; a reading text at {facts.level} has {limits[0]} to {limits[1]}",
        )
    _questions(exercise, check, facts)


def check_dialogue(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    estonian(exercise, "situation", check, facts, "a dialogue exercise")
    recording = check.one_of(exercise, "recording", RECORDINGS, "a dialogue exercise")
    audio = media(exercise, "audio", AUDIO_EXTENSIONS, check, facts)
    turns = _turns(exercise, check, facts)
    if audio is not None and recording == "synthetic" and turns is not None:
        facts.scripts[audio] = dialogue_script(turns)
    _questions(exercise, check, facts)


def _turns(exercise: LineDict, check: Checker, facts: LessonFacts) -> list[tuple[str, str]] | None:
    """(voice, text) of each turn, or None when a turn is broken (no script to compare a clip with)."""
    turns = check.sequence(exercise, "turns", "a dialogue exercise")
    if turns is None:
        return None
    if not TURNS[0] <= len(turns) <= TURNS[1]:
        check.add(exercise.line_of("turns"), f"a dialogue needs {TURNS[0]} to {TURNS[1]} turns")
    script: list[tuple[str, str]] | None = []
    voice_of: dict[str, tuple[str, int]] = {}  # speaker -> voice, line
    speaker_of: dict[str, str] = {}  # voice -> speaker
    for index, turn in enumerate(turns):
        line = turns.line_of(index)
        if not isinstance(turn, LineDict):
            check.add(line, "a turn must be a mapping {speaker, voice, text}")
            script = None
            continue
        check.unknown_keys(turn, ("speaker", "voice", "text"), "a turn")
        speaker = check.text(turn, "speaker", "a turn")
        voice = check.one_of(turn, "voice", VOICES, "a turn")
        text = estonian(turn, "text", check, facts, "a turn")
        if speaker is None or voice is None or text is None:
            script = None
            continue
        if script is not None:
            script.append((voice, text))
        first_voice, first_line = voice_of.setdefault(speaker, (voice, line))
        if first_voice != voice:
            check.add(
                turn.line_of("voice"),
                f"{speaker} speaks in voice {first_voice} at line {first_line}: a speaker keeps one voice",
            )
        elif speaker_of.setdefault(voice, speaker) != speaker:
            check.add(
                turn.line_of("voice"),
                f"{speaker_of[voice]} already speaks in voice {voice}: one voice, one speaker",
            )
    return script


def _questions(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    kind = exercise.get("type")
    questions = check.sequence(exercise, "questions", f"a {kind} exercise")
    if questions is None:
        return
    if not QUESTIONS[0] <= len(questions) <= QUESTIONS[1]:
        check.add(
            exercise.line_of("questions"),
            f"a {kind} exercise needs {QUESTIONS[0]} to {QUESTIONS[1]} questions",
        )
    seen: dict[str, int] = {}
    exercise_id = exercise.get("id")
    for index, question in enumerate(questions):
        line = questions.line_of(index)
        if not isinstance(question, LineDict):
            check.add(line, "a question must be a mapping (id, kind, ...)")
            continue
        question_id = check.text(question, "id", "a question")
        if question_id is not None:
            if question_id in seen:
                check.add(
                    question.line_of("id"),
                    f"question id '{question_id}' is already used at line {seen[question_id]}",
                )
            elif not question_id.isascii() or not question_id.isalnum() or not question_id.islower():
                check.add(
                    question.line_of("id"),
                    f"question id '{question_id}' must be lower-case letters and digits, like q1",
                )
            elif isinstance(exercise_id, str):
                facts.questions.append((question.line_of("id"), f"{exercise_id.strip()}-{question_id}", kind))
            seen.setdefault(question_id, question.line_of("id"))
        question_kind = check.one_of(question, "kind", QUESTION_KINDS, "a question")
        if question_kind is None:
            continue
        check.unknown_keys(
            question, ("id", "kind", *QUESTION_KEYS[question_kind]), f"a {question_kind} question"
        )
        _BY_KIND[question_kind](question, check, facts)


def _choice(question: LineDict, check: Checker, facts: LessonFacts) -> None:
    check_choice(question, check, facts, "a choice question")


def _true_false(question: LineDict, check: Checker, facts: LessonFacts) -> None:
    estonian(question, "statement", check, facts, "a true-false question")
    answer = check.present(question, "answer", "a true-false question")
    # YAML reads true and false as booleans; not-given is text
    if answer is not None and true_false(answer) is None:
        check.add(
            question.line_of("answer"),
            f"a true-false answer is one of {', '.join(TRUE_FALSE)}, not '{answer}'",
        )


def true_false(answer: object) -> str | None:
    """The answer as the API speaks it ("true", "false", "not-given"), from YAML's boolean or text."""
    text = str(answer).lower() if isinstance(answer, bool) else answer
    return text if isinstance(text, str) and text in TRUE_FALSE else None


def _match(question: LineDict, check: Checker, facts: LessonFacts) -> None:
    estonian(question, "prompt", check, facts, "a match question")
    pairs = check.sequence(question, "pairs", "a match question")
    if pairs is None:
        return
    if not PAIRS[0] <= len(pairs) <= PAIRS[1]:
        check.add(question.line_of("pairs"), f"a match question needs {PAIRS[0]} to {PAIRS[1]} pairs")
    lefts: dict[str, int] = {}
    rights: dict[str, int] = {}
    for index, pair in enumerate(pairs):
        line = pairs.line_of(index)
        if not (
            isinstance(pair, LineList)
            and len(pair) == 2
            and all(isinstance(s, str) and s.strip() for s in pair)
        ):
            check.add(line, "a pair is two texts: [left, right]")
            continue
        left, right = pair[0].strip(), pair[1].strip()
        facts.estonian.extend(((line, left), (line, right)))
        for side, text, seen in (("left", left, lefts), ("right", right, rights)):
            if text in seen:
                check.add(
                    line,
                    f"the {side} '{text}' is already in the pair at line {seen[text]}: pairs are distinct",
                )
            seen.setdefault(text, line)


def _short(question: LineDict, check: Checker, facts: LessonFacts) -> None:
    estonian(question, "prompt", check, facts, "a short question")
    answer = estonian(question, "answer", check, facts, "a short question")
    accepted = check.texts(question, "accept", "a short question") or []
    for text in accepted:
        facts.estonian.append((question.line_of("accept"), text))
    warn_fragments(question, answer, accepted, check, sentences=False)


_BY_KIND = {"choice": _choice, "true-false": _true_false, "match": _match, "short": _short}
