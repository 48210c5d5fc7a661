"""OCR's engines: RapidOCR's detector and recogniser, loaded once per process.

Scanned pages are read several at a time, one per core (`readahead`), each
on its own thread, where the models run with one inference thread: on the
2-core bench machine, two pages read at once that way took 0.77-0.81 of the
time a two-thread model took reading them in turn, since between and around
the models' runs (cropping, finding lines, placing characters) one of its
threads is mostly idle; two pages at once on two-thread models took 0.94.
A model of one thread also never spins or sleeps on a pool of its own. The
models are RapidOCR's, rewritten as they load to do the same arithmetic in
fewer passes (`ocr_fold`).

The page-wide reference keeps RapidOCR's own engine, as it was
(`reference_engine`): that is what the benchmark compares with.
"""

from __future__ import annotations

import contextlib
import functools
import os

# ONNX Runtime writes a device id and queued telemetry under ~/.cache/Microsoft
# as soon as it is imported, unless this is set first (its own switch).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

# A lower box threshold keeps short, faint boxes: at the default 0.5 the
# detector drops a '6．' standing apart from its 目录 entry (corpus p.2).
DET_BOX_THRESH = 0.3


@functools.lru_cache(maxsize=1)
def reference_engine():  # type: ignore[no-untyped-def]
    """RapidOCR's engine with its own sessions and threading: the page-wide path the benchmark compares with."""
    from rapidocr_onnxruntime import RapidOCR

    _quiet_runtime()
    return RapidOCR(det_box_thresh=DET_BOX_THRESH)


@functools.lru_cache(maxsize=1)
def engine():  # type: ignore[no-untyped-def]
    """The engine every thread reading a page uses: its models run one inference thread, the caller's.

    One engine, not one per thread: ONNX Runtime's sessions may be run from
    several threads at once, and RapidOCR's steps before and after them keep
    nothing between calls. A second engine cost 70 MB for no speed.
    """
    _one_heap()
    return _one_thread_engine()


def _one_thread_engine():  # type: ignore[no-untyped-def]
    """RapidOCR's engine, one inference thread, its models rewritten (`ocr_fold`)."""
    from rapidocr_onnxruntime import RapidOCR

    _quiet_runtime()
    one = RapidOCR(det_box_thresh=DET_BOX_THRESH, intra_op_num_threads=1, inter_op_num_threads=1)
    for wrapper in (one.text_det.infer, one.text_rec.session):
        wrapper.session = _folded_session(wrapper.session)
    return one


def _folded_session(session):  # type: ignore[no-untyped-def]
    """ONNX Runtime's session for the same model rewritten, with the options RapidOCR made it with."""
    import onnxruntime

    return onnxruntime.InferenceSession(_folded(session._model_path), sess_options=session.get_session_options(),
                                        providers=session.get_providers())


def _folded(path: str) -> bytes:
    from .ocr_fold import folded_model

    return folded_model(path)  # not kept: once a session is made from them the bytes are 15 MB of nothing


# glibc's mallopt parameter: how many heaps ("arenas") threads allocate from.
M_ARENA_MAX = -8


def _one_heap() -> None:
    """Threads allocate from one heap, where glibc gives each its own (up to 8 per core); glibc only.

    A heap keeps what its thread freed for that thread's next allocation, so
    with two threads reading pages the scanned sample's peak memory rose to
    612-680 MB; with one heap it was 492-536 MB, and no slower (the models run
    outside malloc's lock). Elsewhere than glibc there is no such call and
    nothing to do.
    """
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)


def _quiet_runtime() -> None:
    import onnxruntime

    onnxruntime.disable_telemetry_events()  # in case it was imported before this module
