"""What the schema walk of one lesson collects for the checks that come after it, and the two readers
every exercise type shares (an Estonian text, a media path), so the per-type check modules (`schema`,
`comprehension`) record facts the same way.

The course-wide and the Vabamorf checks read only these facts, never the YAML again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from learning_api.authoring.checks import Checker
from learning_api.authoring.loader import LineDict

AUDIO_EXTENSIONS = (".ogg", ".opus", ".mp3", ".m4a", ".wav")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".svg")


@dataclass
class LessonFacts:
    lesson_id: str | None = None
    id_line: int = 1
    course: str | None = None
    course_line: int = 1
    level: str | None = None
    vocabulary: list[tuple[int, str, str]] = field(default_factory=list)  # line, lemma, pos
    exercises: list[tuple[int, str, str]] = field(default_factory=list)  # line, id, type
    # the items a reading or dialogue exercise becomes, one per question: line, item id, type
    questions: list[tuple[int, str, str]] = field(default_factory=list)
    estonian: list[tuple[int, str]] = field(default_factory=list)  # line, text
    flashcards: list[tuple[int, str]] = field(default_factory=list)  # line, lemma
    cloze: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, lemma, answer, text
    inflect: list[tuple[int, str, str]] = field(default_factory=list)  # line, lemma, form
    inflect_contexts: list[tuple[int, str, str]] = field(default_factory=list)  # line, form, sentence
    media: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)  # line, path, extensions
    spoken: dict[str, str] = field(default_factory=dict)  # listen audio path -> the answer it must speak
    scripts: dict[str, str] = field(default_factory=dict)  # synthetic dialogue audio -> its turns' script
    facts_checked: tuple[int, int, int] | None = None  # line, year, month: when the dated facts were checked
    choices: list[tuple[int, str, str, list[str]]] = field(
        default_factory=list
    )  # line, prompt, answer, options


def estonian(
    mapping: LineDict, key: str, check: Checker, facts: LessonFacts, where: str, *, required: bool = True
) -> str | None:
    """A text in Estonian: checked like any text, then kept for the Vabamorf word check. A text of several
    lines (a YAML ``|`` block) is kept line by line, so an unknown word is reported on its own line."""
    value = check.text(mapping, key, where, required=required)
    if value is not None:
        line = mapping.line_of(key)
        lines = value.split("\n")
        if len(lines) == 1:
            facts.estonian.append((line, value))
        else:
            facts.estonian.extend((line + 1 + offset, text) for offset, text in enumerate(lines) if text)
    return value


def media(
    exercise: LineDict, key: str, extensions: tuple[str, ...], check: Checker, facts: LessonFacts
) -> str | None:
    """A path under media/ of a known file type; kept so validation can look for the file."""
    path = check.text(exercise, key, "an exercise")
    if path is None:
        return None
    if not path.startswith("media/") or ".." in path.split("/") or "\\" in path:
        check.add(
            exercise.line_of(key), f"'{key}' must be a path under media/, like media/{exercise.get('id')}.ogg"
        )
    elif not path.lower().endswith(extensions):
        check.add(exercise.line_of(key), f"'{key}' must be one of the file types {', '.join(extensions)}")
    else:
        facts.media.append((exercise.line_of(key), path, extensions))
        return path
    return None


def _bare(text: str) -> str:
    return text.strip(" .,!?;:").casefold()


def warn_fragments(
    node: LineDict, answer: str | None, accepted: list[str], check: Checker, *, sentences: bool
) -> None:
    """Warn about an accepted answer that looks like a piece of one a YAML flow list (`[a, b]`) split at
    its comma, which the grader would take as right: it is one comma-separated part of the model answer,
    or (for ``sentences``: translate, listen) it starts in lower case where the model answer starts a
    sentence. A short answer to a question may rightly be a shorter phrase in lower case."""
    if answer is None:
        return
    parts = {_bare(part) for part in answer.split(",")} if "," in answer else set()
    lower = sentences and answer[:1].isupper()
    for text in accepted:
        if (lower and text[:1].islower()) or _bare(text) in parts:
            check.warn(
                node.line_of("accept"),
                f"'{text}' looks like a piece of a longer answer: if a sentence with a comma was split, "
                "write the accepted answers one quoted item a line",
            )


OPTIONS = (2, 6)  # how many options a choice exercise or a choice question on a text offers


def check_choice(node: LineDict, check: Checker, facts: LessonFacts, where: str) -> None:
    """A choice, as an exercise of its own or as a question on a text (`where` names which): 2-6
    distinct options, the answer one of them; kept for the "a second option fits too" warning."""
    prompt = estonian(node, "prompt", check, facts, where)
    options = check.texts(node, "options", where, required=True)
    answer = estonian(node, "answer", check, facts, where)
    if options is None:
        return
    facts.estonian.extend((node.line_of("options"), option) for option in options)
    if not OPTIONS[0] <= len(options) <= OPTIONS[1]:
        check.add(node.line_of("options"), f"{where} needs {OPTIONS[0]} to {OPTIONS[1]} options")
    if len(set(options)) != len(options):
        check.add(node.line_of("options"), "the options repeat themselves")
    if answer is not None and answer not in options:
        check.add(node.line_of("answer"), f"the answer '{answer}' is not one of the options")
    elif answer is not None:
        facts.choices.append((node.line_of("options"), prompt or "", answer, options))
