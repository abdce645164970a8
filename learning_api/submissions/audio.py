"""What a speaking recording may be, and the check of the object after the learner uploaded it.

A presigned PUT binds neither size nor type (on S3 nor on the local store), so the upload URL is only a
way in: the submission becomes pending only after the server has looked at the object itself — it
exists, its size is within the limit, its stored type is one of ours and its first bytes are that type's
signature. A recording that fails is deleted, and the learner may upload again with the same URL's
successor (a new submission).
"""

from __future__ import annotations

from learning_api.storage import ObjectNotFound, ObjectStore

MAX_AUDIO_BYTES = 20 * 1024 * 1024  # 2 minutes of 44.1 kHz stereo WAV fit; opus needs ~1 MB
# content type -> (file extension, the signatures its first bytes may carry)
AUDIO_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "audio/ogg": ("ogg", (b"OggS",)),
    "audio/opus": ("opus", (b"OggS",)),
    "audio/webm": ("webm", (b"\x1a\x45\xdf\xa3",)),
    "audio/mpeg": ("mp3", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xfa", b"\xff\xe3")),
    "audio/mp4": ("m4a", (b"ftyp",)),  # at offset 4: checked specially
    "audio/x-m4a": ("m4a", (b"ftyp",)),
    "audio/wav": ("wav", (b"RIFF",)),
    "audio/x-wav": ("wav", (b"RIFF",)),
    "audio/wave": ("wav", (b"RIFF",)),
}
SNIFF_BYTES = 16
MISSING = "No recording was uploaded: PUT it to the upload URL first."


def base_type(content_type: str) -> str:
    """'audio/ogg; codecs=opus' -> 'audio/ogg' (what browsers' MediaRecorder reports)."""
    return content_type.split(";", 1)[0].strip().lower()


def looks_like(content_type: str, head: bytes) -> bool:
    _, signatures = AUDIO_TYPES[base_type(content_type)]
    if base_type(content_type) in ("audio/mp4", "audio/x-m4a"):
        return head[4:8] == b"ftyp"
    if base_type(content_type) in ("audio/wav", "audio/x-wav", "audio/wave"):
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    return any(head.startswith(signature) for signature in signatures)


def uploaded_problem(store: ObjectStore, key: str, declared: str) -> tuple[str, int] | str:
    """(stored content type, size) when the uploaded object is a recording we take; else the msgid of
    what is wrong with it. Blocking (the store): call it off the event loop."""
    try:
        info = store.stat(key)
    except ObjectNotFound:
        return MISSING
    if info.size == 0 or info.size > MAX_AUDIO_BYTES:
        return "The recording is empty or larger than the limit."
    stored = base_type(info.content_type)
    if stored not in AUDIO_TYPES or stored != base_type(declared):
        return "The recording was uploaded with another content type than the one announced."
    if not looks_like(stored, store.get(key)[:SNIFF_BYTES]):
        return "The recording's bytes are not the audio type it claims to be."
    return stored, info.size
