"""RapidOCR's models rewritten (scale and shift folded into convolutions, hard-swish in two passes): the same outputs, fewer nodes."""

from __future__ import annotations

import os

import pytest

from disclosure_etl.extract.ocr import ocr_available

pytestmark = pytest.mark.skipif(not ocr_available() and not os.environ.get("CI"), reason="needs the [ocr] extra")


def _graph(scale_shape: tuple[int, ...] = (1,), shared_weights: bool = False):  # type: ignore[no-untyped-def]
    """x -> Conv(3x3, 4 channels, no bias) -> Mul(number) -> Add(number) -> Relu -> y, all constants as Constant nodes."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(7)

    def constant(name: str, array) -> object:  # type: ignore[no-untyped-def]
        return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(array, dtype=np.float32), name))

    nodes = [
        constant("w", rng.normal(size=(4, 2, 3, 3))),
        constant("s", np.full(scale_shape, 1.7)),
        constant("t", np.full((1,), -0.4)),
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Mul", ["c", "s"], ["m"]),
        helper.make_node("Add", ["m", "t"], ["a"]),
        helper.make_node("Relu", ["a"], ["y"]),
    ]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    if shared_weights:
        nodes.append(helper.make_node("Identity", ["w"], ["w_copy"]))
        outputs.append(helper.make_tensor_value_info("w_copy", TensorProto.FLOAT, None))
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 8, 8])], outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])


def _hard_swish_graph(three: float = 3.0):  # type: ignore[no-untyped-def]
    """x -> Add(3) -> Clip(0, 6) -> Mul(x, that) -> Div(6) -> y: a hard-swish as exported, all numbers Constant nodes."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    def constant(name: str, value: float) -> object:
        return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.array([value], dtype=np.float32), name))

    nodes = [constant("three", three), constant("zero", 0.0), constant("six", 6.0),
             helper.make_node("Add", ["x", "three"], ["a"]), helper.make_node("Clip", ["a", "zero", "six"], ["c"]),
             helper.make_node("Mul", ["x", "c"], ["m"]), helper.make_node("Div", ["m", "six"], ["y"])]
    io = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, 2, 8, 8]) for n in ("x", "y")]
    return helper.make_model(helper.make_graph(nodes, "g", io[:1], io[1:]), opset_imports=[helper.make_opsetid("", 12)])


def test_a_hard_swish_in_four_passes_becomes_two_with_the_same_output():
    import numpy as np

    from disclosure_etl.extract.ocr_fold import fuse_hard_swish

    x = np.linspace(-8, 8, 128, dtype=np.float32).reshape(1, 2, 8, 8)
    model = _hard_swish_graph()
    before = _run(model, x)
    np.testing.assert_allclose(before, x * np.clip(x + 3, 0, 6) / 6, atol=1e-6)
    assert fuse_hard_swish(model.graph) == 1
    assert [n.op_type for n in model.graph.node if n.op_type != "Constant"] == ["HardSigmoid", "Mul"]
    np.testing.assert_allclose(_run(model, x), before, atol=1e-6)


def test_an_activation_that_only_looks_like_a_hard_swish_is_left_as_it_is():
    from disclosure_etl.extract.ocr_fold import fuse_hard_swish

    model = _hard_swish_graph(three=2.0)
    assert fuse_hard_swish(model.graph) == 0
    assert "Clip" in {n.op_type for n in model.graph.node}


def _run(model, x):  # type: ignore[no-untyped-def]
    import onnxruntime

    return onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]


def test_a_scale_and_shift_after_a_convolution_are_folded_into_it_with_the_same_output():
    import numpy as np

    from disclosure_etl.extract.ocr_fold import fold_scale_shift

    x = np.random.default_rng(3).normal(size=(1, 2, 8, 8)).astype(np.float32)
    model = _graph()
    before = _run(model, x)
    assert fold_scale_shift(model.graph) == 1
    assert [n.op_type for n in model.graph.node if n.op_type != "Constant"] == ["Conv", "Relu"]
    np.testing.assert_allclose(_run(model, x), before, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs", [{"scale_shape": (4, 1, 1)}, {"shared_weights": True}])
def test_a_scale_per_channel_or_shared_weights_are_left_as_they_are(kwargs):
    from disclosure_etl.extract.ocr_fold import fold_scale_shift

    model = _graph(**kwargs)
    assert fold_scale_shift(model.graph) == 0
    assert "Mul" in {n.op_type for n in model.graph.node}


def test_rapidocrs_recogniser_folded_reads_as_it_did():
    """The shipped recogniser: its blocks folded and activations fused, its outputs on the same input equal to 1e-3, the same characters chosen."""
    import numpy as np
    import onnx
    import onnxruntime

    from disclosure_etl.extract.ocr_fold import fold_scale_shift, folded_model, fuse_hard_swish
    from disclosure_etl.extract.ocr_models import reference_engine

    path = reference_engine().text_rec.session.session._model_path
    graph = onnx.load(path).graph
    assert fold_scale_shift(graph) >= 20  # PPLCNetV3: one after most convolutions
    assert fuse_hard_swish(graph) >= 20
    x = np.random.default_rng(5).uniform(-1, 1, size=(2, 3, 48, 320)).astype(np.float32)
    before, after = (onnxruntime.InferenceSession(m, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0] for m in (path, folded_model(path)))
    np.testing.assert_allclose(after, before, atol=1e-3)
    assert (after.argmax(-1) == before.argmax(-1)).all()
