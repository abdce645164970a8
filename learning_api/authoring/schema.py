"""The lesson schema (content/FORMAT.md), checked by hand so each problem names its exact line.

Besides the problems, the walk collects the facts that the course-wide and the Vabamorf checks need
(ids, Estonian texts, cloze and inflect pairs, media paths), so those checks never re-read the YAML.
"""

from __future__ import annotations

import re

from learning_api.authoring import comprehension
from learning_api.authoring.checks import Checker
from learning_api.authoring.facts import (
    AUDIO_EXTENSIONS,
    IMAGE_EXTENSIONS,
    LessonFacts,
    check_choice,
    estonian,
    media,
    warn_fragments,
)
from learning_api.authoring.loader import LineDict
from learning_api.authoring.production import SPEAKING_KEYS, WRITING_KEYS, check_speaking, check_writing
from learning_api.catalog.documents import EXERCISE_TYPES, LANGUAGES, LEVELS, SKILLS, TOPICS

NATIVE = tuple(lang for lang in LANGUAGES if lang != "et")
POS = ("noun", "verb", "adj", "adv", "pron", "num", "conj", "adp", "interj", "phrase")
DIRECTIONS = ("et-native", "native-et")
GAP = "___"
LESSON_KEYS = (
    "id",
    "course",
    "level",
    "order",
    "topic",
    "grammar",
    "facts_checked",
    "title",
    "instructions",
    "vocabulary",
    "exercises",
)
VOCABULARY_KEYS = ("lemma", "pos", *NATIVE, "example")
COMMON_KEYS = ("id", "type", "skill", "lemmas", "image")
TYPE_KEYS = {
    "flashcard": ("lemma", "direction", "accept"),
    "choice": ("prompt", "options", "answer"),
    "cloze": ("text", "lemma", "answer", "accept"),
    "inflect": ("lemma", "form", "sentence"),
    "translate": ("source", "answer", "accept"),
    "order": ("answer", "accept"),
    "listen": ("audio", "answer", "accept"),
    "writing": WRITING_KEYS,
    "speaking": SPEAKING_KEYS,
    **comprehension.TYPE_KEYS,
}
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TAG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WORD_EDGES = re.compile(r"^\W+|\W+$")
MONTH_PATTERN = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def check_lesson(data: object, check: Checker, file_stem: str | None) -> LessonFacts:
    facts = LessonFacts()
    if not isinstance(data, LineDict):
        check.add(1, "a lesson file must be a mapping (id: ..., title: ..., exercises: ...)")
        return facts
    check.unknown_keys(data, LESSON_KEYS, "the lesson")
    facts.lesson_id = check.text(data, "id", "the lesson")
    facts.id_line = data.line_of("id")
    level = facts.level = check.one_of(data, "level", LEVELS, "the lesson")
    if facts.lesson_id is not None:
        if not ID_PATTERN.fullmatch(facts.lesson_id):
            check.add(
                facts.id_line, f"lesson id '{facts.lesson_id}' must be lower-case ASCII words joined by '-'"
            )
        elif level and not facts.lesson_id.startswith(level.lower() + "-"):
            check.add(
                facts.id_line, f"lesson id '{facts.lesson_id}' must start with its level '{level.lower()}-'"
            )
        if file_stem is not None and facts.lesson_id != file_stem:
            check.add(
                facts.id_line, f"lesson id '{facts.lesson_id}' must match the file name '{file_stem}.yaml'"
            )
    facts.course = check.text(data, "course", "the lesson")
    facts.course_line = data.line_of("course")
    order = check.present(data, "order", "the lesson")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool) or order < 1):
        check.add(data.line_of("order"), "'order' must be a whole number from 1")
    check.one_of(data, "topic", TOPICS, "the lesson")
    for tag in check.texts(data, "grammar", "the lesson") or []:
        if not TAG_PATTERN.fullmatch(tag):
            check.add(data.line_of("grammar"), f"grammar tag '{tag}' must be kebab-case (lower-case-words)")
    if "facts_checked" in data:
        facts.facts_checked = _month(data, check)
    title = check.languages(data, "title", LANGUAGES, "the lesson")
    instructions = check.languages(data, "instructions", LANGUAGES, "the lesson")
    for key, texts in (("title", title), ("instructions", instructions)):
        if "et" in texts:
            facts.estonian.append((data[key].line_of("et"), texts["et"]))
    _check_vocabulary(data, check, facts)
    _check_exercises(data, check, facts)
    return facts


def _month(data: LineDict, check: Checker) -> tuple[int, int, int] | None:
    """`facts_checked: 2026-12`: the month an editor last checked the lesson's facts that change (fees,
    laws, who may vote), so validation can say when they are due for another look."""
    value, line = data["facts_checked"], data.line_of("facts_checked")
    match = MONTH_PATTERN.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        check.add(line, "'facts_checked' must be a month written YYYY-MM, like 2026-12")
        return None
    return line, int(match[1]), int(match[2])


def _check_vocabulary(data: LineDict, check: Checker, facts: LessonFacts) -> None:
    entries = check.sequence(data, "vocabulary", "the lesson")
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries or []):
        line = entries.line_of(index)
        if not isinstance(entry, LineDict):
            check.add(line, "a vocabulary entry must be a mapping (lemma, pos, en, ru, uk, example)")
            continue
        where = "a vocabulary entry"
        check.unknown_keys(entry, VOCABULARY_KEYS, where)
        lemma, pos = check.text(entry, "lemma", where), check.one_of(entry, "pos", POS, where)
        for lang in NATIVE:
            check.text(entry, lang, where)
        example = check.text(entry, "example", where)
        if lemma is None or pos is None:
            continue
        if (lemma, pos) in seen:
            check.add(
                entry.line_of("lemma"),
                f"'{lemma}' ({pos}) is already in the vocabulary at line {seen[lemma, pos]}",
            )
        seen[lemma, pos] = entry.line_of("lemma")
        facts.vocabulary.append((entry.line_of("lemma"), lemma, pos))
        facts.estonian.append((entry.line_of("lemma"), lemma))
        if example is not None:
            facts.estonian.append((entry.line_of("example"), example))


def _check_exercises(data: LineDict, check: Checker, facts: LessonFacts) -> None:
    exercises = check.sequence(data, "exercises", "the lesson")
    for index, exercise in enumerate(exercises or []):
        line = exercises.line_of(index)
        if not isinstance(exercise, LineDict):
            check.add(line, "an exercise must be a mapping (id, type, ...)")
            continue
        exercise_id = check.text(exercise, "id", "an exercise")
        kind = check.one_of(exercise, "type", EXERCISE_TYPES, "an exercise")
        if exercise_id is not None and facts.lesson_id and not exercise_id.startswith(facts.lesson_id + "-"):
            check.add(
                exercise.line_of("id"), f"exercise id '{exercise_id}' must start with '{facts.lesson_id}-'"
            )
        if exercise_id is not None and kind is not None:
            facts.exercises.append((exercise.line_of("id"), exercise_id, kind))
        if kind is None:
            continue
        if kind == "inflect" and "answer" in exercise:
            check.add(exercise.line_of("answer"), "inflect answers come from Vabamorf: remove 'answer'")
        allowed = (*COMMON_KEYS, *TYPE_KEYS[kind], *(("answer",) if kind == "inflect" else ()))
        check.unknown_keys(exercise, allowed, f"a {kind} exercise")
        if "skill" in exercise:
            check.one_of(exercise, "skill", SKILLS, "an exercise")
        check.texts(exercise, "lemmas", "an exercise")
        if "image" in exercise:
            media(exercise, "image", IMAGE_EXTENSIONS, check, facts)
        _CHECKS_BY_TYPE[kind](exercise, check, facts)


def _estonian(
    exercise: LineDict, key: str, check: Checker, facts: LessonFacts, *, required: bool = True
) -> str | None:
    return estonian(exercise, key, check, facts, f"a {exercise.get('type')} exercise", required=required)


def _accept(exercise: LineDict, check: Checker, facts: LessonFacts) -> list[str]:
    accepted = check.texts(exercise, "accept", "an exercise") or []
    for text in accepted:
        facts.estonian.append((exercise.line_of("accept"), text))
    return accepted


def _gap(exercise: LineDict, key: str, text: str | None, check: Checker) -> None:
    if text is not None and text.count(GAP) != 1:
        check.add(exercise.line_of(key), f"'{key}' must have exactly one gap written as {GAP}")


def _flashcard(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    lemma = check.text(exercise, "lemma", "a flashcard exercise")
    direction = check.one_of(exercise, "direction", DIRECTIONS, "a flashcard exercise")
    # Other Estonian words that fit the meaning (sageli for "often" beside tihti): only a card that asks
    # for the Estonian word can take them.
    if _accept(exercise, check, facts) and direction != "native-et":
        check.add(exercise.line_of("accept"), "'accept' only fits a flashcard with direction native-et")
    if lemma is not None:
        facts.flashcards.append((exercise.line_of("lemma"), lemma))


def _choice(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    check_choice(exercise, check, facts, "a choice exercise")


def _cloze(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    text = check.text(exercise, "text", "a cloze exercise")
    _gap(exercise, "text", text, check)
    lemma = check.text(exercise, "lemma", "a cloze exercise")
    answer = check.text(exercise, "answer", "a cloze exercise")
    accepted = _accept(exercise, check, facts)
    if text is not None and answer is not None:
        for filled in (answer, *accepted):
            facts.estonian.append((exercise.line_of("text"), text.replace(GAP, filled)))
    if lemma is not None and answer is not None:
        facts.cloze.append((exercise.line_of("answer"), lemma, answer, text or ""))


def _inflect(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    lemma = _estonian(exercise, "lemma", check, facts)
    form = check.text(exercise, "form", "an inflect exercise")
    sentence = _estonian(exercise, "sentence", check, facts, required=False)
    _gap(exercise, "sentence", sentence, check)
    if lemma is not None and form is not None:
        facts.inflect.append((exercise.line_of("form"), lemma, form))
        if sentence is not None:
            facts.inflect_contexts.append((exercise.line_of("form"), form, sentence))


def _translate(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    check.languages(exercise, "source", NATIVE, "a translate exercise")
    answer = _estonian(exercise, "answer", check, facts)
    warn_fragments(exercise, answer, _accept(exercise, check, facts), check, sentences=True)


def _words(text: str) -> list[str]:
    return sorted(WORD_EDGES.sub("", word).casefold() for word in text.split())


def _order(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    answer = _estonian(exercise, "answer", check, facts)
    accepted = _accept(exercise, check, facts)
    if answer is None:
        return
    if len(answer.split()) < 2:
        check.add(exercise.line_of("answer"), "an order exercise needs at least two words")
    for text in accepted:
        if _words(text) != _words(answer):
            check.add(exercise.line_of("accept"), f"'{text}' does not use the same words as the answer")


def _listen(exercise: LineDict, check: Checker, facts: LessonFacts) -> None:
    media(exercise, "audio", AUDIO_EXTENSIONS, check, facts)
    answer = _estonian(exercise, "answer", check, facts)
    if answer is not None and isinstance(exercise.get("audio"), str):
        facts.spoken[exercise["audio"].strip()] = answer
    warn_fragments(exercise, answer, _accept(exercise, check, facts), check, sentences=True)


_CHECKS_BY_TYPE = {
    "flashcard": _flashcard,
    "choice": _choice,
    "cloze": _cloze,
    "inflect": _inflect,
    "translate": _translate,
    "order": _order,
    "listen": _listen,
    "writing": check_writing,
    "speaking": check_speaking,
    "reading": comprehension.check_reading,
    "dialogue": comprehension.check_dialogue,
}
