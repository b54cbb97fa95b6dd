#!/usr/bin/env python3
"""Expected values for dev.frelon.core.DTypeTest, computed with PyTorch 1.13 (CPU).

Run once by hand:  python3 dtype_cases.py > /tmp/dtype_cases.java
and paste the output between the "BEGIN GENERATED" and "END GENERATED" markers of DTypeTest.java. The test itself
never runs Python; this script only records where its literals came from, so that they can be regenerated.

Dtype order everywhere: FLOAT32, FLOAT64, INT64, INT32, BOOL (the order of dev.frelon.core.DType).
Floating literals are Python's repr, which Java parses back to the same double; float32 results are printed as the
double that holds them exactly.
"""
import math

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DTYPES = [torch.float32, torch.float64, torch.int64, torch.int32, torch.bool]
JAVA = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.bool: "B"}
OUT = []


def emit(line=""):
    OUT.append(line)


def jd(v):
    """A Java double literal."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "INF" if v > 0 else "-INF"
    r = repr(v)
    return r


def jl(v):
    return str(int(v)) + "L"


def jb(v):
    return "true" if v else "false"


def values(t):
    """A tensor's elements as a Java array literal of its own kind (double[], long[] or boolean[])."""
    flat = t.reshape(-1)
    if t.dtype.is_floating_point:
        return "new double[] {" + ", ".join(jd(x) for x in flat.double().tolist()) + "}"
    if t.dtype == torch.bool:
        return "new boolean[] {" + ", ".join(jb(x) for x in flat.tolist()) + "}"
    return "new long[] {" + ", ".join(jl(x) for x in flat.tolist()) + "}"


def as_doubles(t):
    return "new double[] {" + ", ".join(jd(x) for x in t.reshape(-1).double().tolist()) + "}"


def shape(t):
    return "new int[] {" + ", ".join(str(s) for s in t.shape) + "}"


def table(name, f):
    emit("    static final DType[][] %s = {" % name)
    for a in DTYPES:
        emit("            {" + ", ".join(JAVA[f(a, b)] for b in DTYPES) + "},")
    emit("    };")


# ------------------------------------------------------------------------------------------ 1. promotion

table("PROMOTE", torch.promote_types)


def dim(dtype):
    return torch.ones(2, dtype=dtype)


def zd(dtype):
    return torch.ones((), dtype=dtype)


table("RESULT_DIM_DIM", lambda a, b: torch.result_type(dim(a), dim(b)))
table("RESULT_DIM_0D", lambda a, b: torch.result_type(dim(a), zd(b)))
table("RESULT_0D_DIM", lambda a, b: torch.result_type(zd(a), dim(b)))
table("RESULT_0D_0D", lambda a, b: torch.result_type(zd(a), zd(b)))

# The operands of the binary-operation tables: left A[dtype], right B[dtype] (all exact in every dtype).
A = {torch.float32: [1.5, -2.0, 0.0], torch.float64: [1.5, -2.0, 0.0], torch.int64: [3, -2, 0],
     torch.int32: [3, -2, 0], torch.bool: [True, False, False]}
B = {torch.float32: [0.5, 4.0, -3.0], torch.float64: [0.25, 4.0, -3.0], torch.int64: [2, 5, -3],
     torch.int32: [2, 5, -3], torch.bool: [True, True, False]}
emit("    static final double[][] OPERAND_A = {" + ", ".join(
    "{" + ", ".join(jd(float(x)) for x in A[d]) + "}" for d in DTYPES) + "};")
emit("    static final double[][] OPERAND_B = {" + ", ".join(
    "{" + ", ".join(jd(float(x)) for x in B[d]) + "}" for d in DTYPES) + "};")

OPS = {"add": torch.add, "mul": torch.mul, "div": torch.div, "eq": torch.eq}
for name, op in OPS.items():
    dts, vals = [], []
    for a in DTYPES:
        row_d, row_v = [], []
        for b in DTYPES:
            r = op(torch.tensor(A[a], dtype=a), torch.tensor(B[b], dtype=b))
            row_d.append(JAVA[r.dtype])
            row_v.append(as_doubles(r))
        dts.append("{" + ", ".join(row_d) + "}")
        vals.append("{" + ", ".join(row_v) + "}")
    emit("    static final DType[][] %s_DTYPE = {%s};" % (name.upper(), ", ".join(dts)))
    emit("    static final double[][][] %s_VALUES = {" % name.upper())
    for v in vals:
        emit("            " + v + ",")
    emit("    };")
    # The same with a 0-d right operand (its first value) and a 0-d left one.
    d0 = []
    for a in DTYPES:
        d0.append("{" + ", ".join(JAVA[op(torch.tensor(A[a], dtype=a), torch.tensor(B[b][0], dtype=b)).dtype]
                                  for b in DTYPES) + "}")
    emit("    static final DType[][] %s_DTYPE_DIM_0D = {%s};" % (name.upper(), ", ".join(d0)))

for name in ["sub", "pow"]:
    try:
        getattr(torch, name)(torch.tensor([True]), torch.tensor([True]))
        raise SystemExit("bool %s should fail" % name)
    except RuntimeError as e:
        emit("    // torch.%s(bool, bool): %s" % (name, str(e).splitlines()[0]))

# ------------------------------------------------------------------------------------------ 2. values


def case(name, t):
    emit("    static final Object %s = %s; // %s" % (name, values(t), str(t.dtype).replace("torch.", "")))


I64 = torch.int64
I32 = torch.int32
case("I64_ADD_BEYOND_2_53", torch.tensor([2 ** 62 + 1, 2 ** 53 + 1], dtype=I64) + torch.tensor([1, 2], dtype=I64))
case("I64_ADD_WRAPS", torch.tensor([2 ** 63 - 1], dtype=I64) + torch.tensor([1], dtype=I64))
case("I64_SUB_WRAPS", torch.tensor([-2 ** 63], dtype=I64) - torch.tensor([1], dtype=I64))
case("I64_MUL_WRAPS", torch.tensor([2 ** 62, 3037000500], dtype=I64) * torch.tensor([4, 3037000500], dtype=I64))
case("I32_ADD_WRAPS", torch.tensor([2 ** 31 - 1, -2 ** 31], dtype=I32) + torch.tensor([1, -1], dtype=I32))
case("I32_MUL_WRAPS", torch.tensor([46341, 65536], dtype=I32) * torch.tensor([46341, 65536], dtype=I32))
case("I64_POW", torch.tensor([2, 3, -2, 3, 7, 0], dtype=I64) ** torch.tensor([62, 3, 3, 40, 0, 0], dtype=I64))
case("I32_POW", torch.tensor([3, -2], dtype=I32) ** torch.tensor([20, 31], dtype=I32))
case("I64_POW_NEGATIVE_TORCH", torch.tensor([3, 1, -1, 2], dtype=I64) ** torch.tensor([-1, -1, -1, -2], dtype=I64))
try:
    torch.tensor([3]) ** -1
except RuntimeError as e:
    emit("    // torch.tensor([3]) ** -1: %s" % e)
case("INT_TRUE_DIV", torch.tensor([7, -7, 1, 7, -7, 0], dtype=I64) / torch.tensor([2, 2, 3, 0, 0, 0], dtype=I64))
case("I32_TRUE_DIV", torch.tensor([7, -9], dtype=I32) / torch.tensor([2, 4], dtype=I32))

CMP_I = torch.tensor([16777217, 3, -1, 2 ** 40 + 1], dtype=I64)
CMP_F = torch.tensor([16777216.0, 3.5, -1.0, 2.0 ** 40], dtype=torch.float32)
for n in ["eq", "ne", "lt", "le", "gt", "ge"]:
    case("CMP_I64_F32_" + n.upper(), getattr(torch, n)(CMP_I, CMP_F))
case("CMP_I64_F64_EQ", torch.eq(torch.tensor([2 ** 53 + 1], dtype=I64), torch.tensor([2.0 ** 53], dtype=torch.float64)))
case("CMP_I64_I64_EQ", torch.eq(torch.tensor([2 ** 53 + 1], dtype=I64), torch.tensor([2 ** 53], dtype=I64)))
case("CMP_I64_SCALAR_EQ", torch.tensor([16777217, 16777216], dtype=I64) == 16777216.0)

LA = torch.tensor([True, True, False, False])
LB = torch.tensor([True, False, True, False])
case("LOGICAL_AND", torch.logical_and(LA, LB))
case("LOGICAL_OR", torch.logical_or(LA, LB))
case("LOGICAL_XOR", torch.logical_xor(LA, LB))
case("LOGICAL_NOT", torch.logical_not(LA))
LF = torch.tensor([0.0, 2.0, float("nan"), -0.0, 0.5], dtype=torch.float32)
LI = torch.tensor([1, 0, 3, 5, 0], dtype=I64)
case("LOGICAL_AND_MIXED", torch.logical_and(LF, LI))
case("LOGICAL_OR_MIXED", torch.logical_or(LF, LI))
case("LOGICAL_XOR_MIXED", torch.logical_xor(LF, LI))
case("LOGICAL_NOT_F32", torch.logical_not(LF))

case("BOOL_SUM", torch.tensor([True, False, True, True]).sum())
case("BOOL_SUM_DIM1", torch.tensor([[True, False, True], [False, False, True]]).sum(1))
case("I32_SUM", torch.tensor([2 ** 31 - 1, 2 ** 31 - 1, 5], dtype=I32).sum())
case("I64_SUM_EXACT", torch.tensor([2 ** 62, 2 ** 61, 3], dtype=I64).sum())
case("I64_SUM_WRAPS", torch.tensor([2 ** 62, 2 ** 62], dtype=I64).sum())

NAN = float("nan")
ARG_F = [1.0, 3.0, 3.0, 0.0, 0.0]
ARG_NAN = [1.0, NAN, 3.0, NAN, -5.0]
for tag, dt in [("F32", torch.float32), ("F64", torch.float64)]:
    case("ARGMAX_" + tag, torch.tensor(ARG_F, dtype=dt).argmax())
    case("ARGMIN_" + tag, torch.tensor(ARG_F, dtype=dt).argmin())
    case("ARGMAX_NAN_" + tag, torch.tensor(ARG_NAN, dtype=dt).argmax())
    case("ARGMIN_NAN_" + tag, torch.tensor(ARG_NAN, dtype=dt).argmin())
    case("MAX_NAN_" + tag, torch.tensor(ARG_NAN, dtype=dt).max())
M2 = [[1.0, 5.0, 5.0], [NAN, 0.0, NAN]]
case("ARGMAX_F64_DIM1", torch.tensor(M2, dtype=torch.float64).argmax(1))
case("ARGMIN_F64_DIM1", torch.tensor(M2, dtype=torch.float64).argmin(1))
case("ARGMAX_F64_DIM0", torch.tensor(M2, dtype=torch.float64).argmax(0))
ARG_I = [5, -2, 2 ** 62 + 1, 2 ** 62 + 1, -2, 2 ** 62]
case("ARGMAX_I64", torch.tensor(ARG_I, dtype=I64).argmax())
case("ARGMIN_I64", torch.tensor(ARG_I, dtype=I64).argmin())
case("MAX_I64", torch.tensor(ARG_I, dtype=I64).max())
case("MIN_I64", torch.tensor(ARG_I, dtype=I64).min())
MI = torch.tensor([[5, 2 ** 62 + 1, 2 ** 62 + 1], [-7, -7, 2 ** 62]], dtype=I64).max(1)
case("MAX_I64_DIM1_VALUES", MI.values)
case("MAX_I64_DIM1_INDICES", MI.indices)
MI = torch.tensor([[5, 2 ** 62 + 1, 2 ** 62 + 1], [-7, -7, 2 ** 62]], dtype=I64).min(1)
case("MIN_I64_DIM1_VALUES", MI.values)
case("MIN_I64_DIM1_INDICES", MI.indices)
case("MAX_BOOL", torch.tensor([False, True, False]).max())
case("MIN_BOOL", torch.tensor([True, False, True]).min())
case("MAX_BOOL_DIM1", torch.tensor([[False, True], [False, False]]).amax(1))
for n in ["argmax", "argmin"]:
    try:
        getattr(torch, n)(torch.tensor([False, True]))
        emit("    // torch.%s(bool) works" % n)
    except RuntimeError as e:
        emit("    // torch.%s(bool): %s" % (n, e))

one = torch.tensor([1.0], dtype=torch.float64)
case("F64_ONE_PLUS_TINY", one + 1e-12 - 1)
case("F32_ONE_PLUS_TINY", torch.tensor([1.0]) + 1e-12 - 1)
case("F64_THIRD", torch.tensor([1.0], dtype=torch.float64) / 3)
case("F32_THIRD", torch.tensor([1.0]) / 3)

UNARY_X = [-745.0, -700.0, -30.0, -20.0, -3.7, -1.0, -0.5, -1e-08, -0.0, 0.0, 1e-300, 1e-08, 0.1, 0.5, 1.0, 2.5,
           3.7, 10.0, 20.0, 30.0, 100.0, 709.0, 710.0]
LOG_X = [0.0, 1e-300, 1e-08, 0.1, 0.5, 0.9999999999, 1.0, 1.0000000001, 2.5, 3.7, 10.0, 100.0, 1e+300, -1.0]
emit("    static final double[] UNARY_X = " + as_doubles(torch.tensor(UNARY_X, dtype=torch.float64)) + ";")
emit("    static final double[] LOG_X = " + as_doubles(torch.tensor(LOG_X, dtype=torch.float64)) + ";")
UX = torch.tensor(UNARY_X, dtype=torch.float64)
case("F64_EXP", UX.exp())
case("F64_TANH", UX.tanh())
case("F64_SIGMOID", UX.sigmoid())
case("F64_SQRT", UX.abs().sqrt())
case("F64_LOG", torch.tensor(LOG_X, dtype=torch.float64).log())

SM = [[1.0, 2.0, 3.0, 4.0], [-1000.0, 0.0, 1000.0, 999.5], [0.1, 0.2, 0.3, 0.4], [-1e-9, 1e-9, 0.0, -0.0]]
emit("    static final double[] SOFTMAX_X = " + as_doubles(torch.tensor(SM, dtype=torch.float64)) + ";")
SMX = torch.tensor(SM, dtype=torch.float64)
case("F64_SOFTMAX_1", SMX.softmax(1))
case("F64_SOFTMAX_0", SMX.softmax(0))
case("F64_LOG_SOFTMAX_1", SMX.log_softmax(1))
case("F64_LOGSUMEXP_1", SMX.logsumexp(1))
case("F64_LOGSUMEXP_0", SMX.logsumexp(0))

RED = [0.1 * i + 1.0 / (i + 1) - (0.37 if i % 3 == 0 else 0.0) for i in range(37)]
emit("    static final double[] REDUCE_X = " + as_doubles(torch.tensor(RED, dtype=torch.float64)) + ";")
RX = torch.tensor(RED, dtype=torch.float64)
case("F64_SUM", RX.sum())
case("F64_MEAN", RX.mean())
case("F64_VAR", RX.var())
case("F64_VAR_POP", RX.var(unbiased=False))
case("F64_SUM_ROWS", RX[:36].reshape(6, 6).sum(1))
case("F64_MEAN_COLS", RX[:36].reshape(6, 6).mean(0))
case("F64_TENTHS_SUM", torch.full((10,), 0.1, dtype=torch.float64).sum())
case("F32_TENTHS_SUM", torch.full((10,), 0.1, dtype=torch.float32).sum())

# ------------------------------------------------------------------------------------------ 3. conversions

SRC = {
    torch.float32: [-2.7, 2.7, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.99, 16777217.0, 2147483520.0, -2147483648.0],
    torch.float64: [-2.7, 2.7, 0.5, -0.5, -0.0, 0.0, 1.0, -1.0, 100.99, 16777217.0, 2147483647.9, -2147483648.9,
                    0.1, 1e-50],
    torch.int64: [-3, 0, 1, 2 ** 31 - 1, -2 ** 31, 2 ** 24 + 1, 2 ** 24 + 3],
    torch.int32: [-3, 0, 1, 2 ** 31 - 1, -2 ** 31, 2 ** 24 + 1, 2 ** 24 + 3],
    torch.bool: [True, False, True],
}
# Values that only some targets take: beyond int32 (int64 and the floats take them), the floats beyond int64...
WIDE_I64 = [2 ** 31, 2 ** 53 + 1, 2 ** 60 + 2 ** 36 + 1, 2 ** 63 - 1, -2 ** 63]
WIDE_F64 = [1e300, -1e300, 2.0 ** 31, 2.0 ** 63, -2.0 ** 63, NAN, float("inf"), float("-inf")]
emit("    static final Object[] CONVERT_SRC = {")
for d in DTYPES:
    emit("            " + values(torch.tensor(SRC[d], dtype=d)) + ",")
emit("    };")
emit("    static final Object[][] CONVERT = {")
for a in DTYPES:
    row = [values(torch.tensor(SRC[a], dtype=a).to(b)) for b in DTYPES]
    emit("            {" + ", ".join(row) + "},")
emit("    };")
emit("    static final long[] WIDE_I64 = " + values(torch.tensor(WIDE_I64, dtype=I64)) + ";")
for b in [torch.float32, torch.float64, torch.bool]:
    case("WIDE_I64_TO_" + JAVA[b], torch.tensor(WIDE_I64, dtype=I64).to(b))
case("WIDE_I64_TO_I32_TORCH_WRAPS", torch.tensor(WIDE_I64, dtype=I64).to(I32))
emit("    static final double[] WIDE_F64 = " + as_doubles(torch.tensor(WIDE_F64, dtype=torch.float64)) + ";")
for b in [torch.float32, torch.bool]:
    case("WIDE_F64_TO_" + JAVA[b], torch.tensor(WIDE_F64, dtype=torch.float64).to(b))
case("WIDE_F64_TO_I64_TORCH", torch.tensor(WIDE_F64, dtype=torch.float64).to(I64))
case("WIDE_F64_TO_I32_TORCH", torch.tensor(WIDE_F64, dtype=torch.float64).to(I32))
case("TWO_31_TO_I64", torch.tensor([2.0 ** 31, -2.0 ** 63, 2.0 ** 62], dtype=torch.float64).to(I64))

# copy_ across dtypes: destination dtype, source values
dst = torch.zeros(4, dtype=torch.float64)
dst.copy_(torch.tensor([2 ** 53 + 1, -3, 0, 7], dtype=I64))
case("COPY_I64_INTO_F64", dst)
dst = torch.zeros(4, dtype=I64)
dst.copy_(torch.tensor([-2.7, 2.7, -0.0, 1e10], dtype=torch.float32))
case("COPY_F32_INTO_I64", dst)
dst = torch.zeros(4, dtype=torch.bool)
dst.copy_(torch.tensor([0.0, NAN, -0.0, 1e-30], dtype=torch.float64))
case("COPY_F64_INTO_BOOL", dst)
dst = torch.zeros(2, 3, dtype=torch.float32)
dst.copy_(torch.tensor([True, False, True]))
case("COPY_BOOL_INTO_F32_BROADCAST", dst)

case("FULL_NAN_BOOL", torch.full((2,), NAN, dtype=torch.bool))
case("FULL_7_I32", torch.full((2, 2), 7, dtype=I32))
case("ONES_BOOL", torch.ones(3, dtype=torch.bool))
case("ONES_I64", torch.ones(2, dtype=I64))
case("FULL_TENTH_F64", torch.full((2,), 0.1, dtype=torch.float64))
try:
    torch.full((2,), 2 ** 31, dtype=I32)
except RuntimeError as e:
    emit("    // torch.full((2,), 2**31, dtype=torch.int32): %s" % e)
case("FILL_2_5_I64_TORCH", torch.zeros(2, dtype=I64).fill_(2.5))
emit("    // bool(torch.tensor(nan)) = %s" % bool(torch.tensor(NAN)))

# printing
for name, t in [
    ("STR_I64", torch.tensor([1, 2], dtype=I64)),
    ("STR_I64_2D", torch.tensor([[1, -2], [30, 4]], dtype=I64)),
    ("STR_I32", torch.tensor([1, -2], dtype=I32)),
    ("STR_BOOL", torch.tensor([True, False])),
    ("STR_BOOL_2D", torch.tensor([[True, False], [False, False]])),
    ("STR_F64", torch.tensor([1.0, 2.5], dtype=torch.float64)),
    ("STR_I64_0D", torch.tensor(5, dtype=I64)),
    ("STR_BOOL_0D", torch.tensor(True)),
]:
    emit("    static final String %s = %s;" % (name, '"' + str(t).replace("\n", "\\n") + '"'))

# ------------------------------------------------------------------------------------------ 4. indexing

GX = torch.tensor([[10, 2 ** 62 + 1, -3], [4, 5, 6]], dtype=I64)
GI = torch.tensor([[2, 0], [1, 1]], dtype=I64)
case("GATHER_I64_DIM1", GX.gather(1, GI))
case("GATHER_I64_DIM0", GX.gather(0, torch.tensor([[1, 0, 1]], dtype=I64)))
GB = torch.tensor([[True, False, False], [False, True, True]])
case("GATHER_BOOL_DIM1", GB.gather(1, GI))
GF = torch.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], dtype=torch.float64)
case("GATHER_F64_DIM1", GF.gather(1, GI))
SI = torch.tensor([[0, 2, 0], [1, 1, 1]], dtype=I64)
case("SCATTER_ADD_I64", GX.scatter_add(1, SI, torch.tensor([[1, 2, 3], [2 ** 62, 1, 1]], dtype=I64)))
case("SCATTER_ADD_F64", GF.scatter_add(1, SI, torch.tensor([[1e-17, 2.0, 3.0], [0.25, 0.5, 1e300]],
                                                            dtype=torch.float64)))
case("SCATTER_ADD_BOOL", GB.scatter_add(1, SI, torch.tensor([[True, False, True], [False, False, True]])))
try:
    GX.scatter_add(1, SI, torch.ones(2, 3))
except RuntimeError as e:
    emit("    // scatter_add(int64 self, float32 src): %s" % e)
try:
    GX.gather(1, GI.int())
except RuntimeError as e:
    emit("    // gather(int32 index): %s" % e)
case("INDEX_SELECT_I64", GX.index_select(1, torch.tensor([2, 1, 2])))
case("INDEX_SELECT_BOOL", GB.index_select(0, torch.tensor([1, 1, 0])))

CA = torch.tensor([1, 2 ** 40], dtype=I64)
CB = torch.tensor([-7], dtype=I32)
CC = torch.tensor([True, False])
CF = torch.tensor([0.5], dtype=torch.float32)
CD = torch.tensor([0.1], dtype=torch.float64)
case("CAT_I64_I32_BOOL", torch.cat([CA, CB, CC]))
case("CAT_BOOL_I32", torch.cat([CC, CB]))
case("CAT_I64_F32", torch.cat([CA, CF]))
case("CAT_F32_F64", torch.cat([CF, CD]))
case("CAT_BOOL_BOOL", torch.cat([CC, CC]))
case("STACK_I64_F64", torch.stack([torch.tensor([1, 2], dtype=I64), torch.tensor([0.5, 0.1], dtype=torch.float64)]))
case("STACK_BOOL_I32_DIM1", torch.stack([CC, torch.tensor([3, 4], dtype=I32)], 1))

WM = torch.tensor([True, False, True])
case("WHERE_I64_F64", torch.where(WM, torch.tensor([1, 2 ** 53 + 1, 3], dtype=I64),
                                  torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)))
case("WHERE_I64_I32", torch.where(WM, torch.tensor([2 ** 40, 2, 3], dtype=I64), torch.tensor([4, 5, 6], dtype=I32)))
case("WHERE_I64_0D_F32", torch.where(WM, torch.tensor([1, 2, 3], dtype=I64), torch.tensor(0.5)))
case("WHERE_F32_0D_F64", torch.where(WM, torch.tensor([1.5, 2.5, 3.5]), torch.tensor(0.1, dtype=torch.float64)))
case("WHERE_BOOL_BOOL", torch.where(WM, torch.tensor([False, False, False]), torch.tensor([True, True, True])))
MF = torch.tensor([[True, False, False], [False, False, True]])
case("MASKED_FILL_I64", GX.masked_fill(MF, -100))
case("MASKED_FILL_F64", GF.masked_fill(MF, 0.1))
case("MASKED_FILL_F64_NEG_INF", GF.masked_fill(MF, float("-inf")))
case("MASKED_FILL_BOOL", GB.masked_fill(MF, True))
case("MASKED_FILL_I64_2_5_TORCH", GX.masked_fill(MF, 2.5))

TR = torch.arange(1, 13, dtype=I64).reshape(3, 4) * (2 ** 40)
case("TRIL_I64", TR.tril())
case("TRIU_I64_1", TR.triu(1))
case("TRIL_I64_NEG1", TR.tril(-1))
case("TRIU_BOOL_1", torch.ones(3, 3, dtype=torch.bool).triu(1))
case("TRIL_BOOL_BATCH", torch.ones(2, 2, 3, dtype=torch.bool).tril(0))
case("TRIU_I32", torch.arange(1, 7, dtype=I32).reshape(2, 3).triu(0))

VX = torch.arange(12, dtype=I64).reshape(3, 4) + 2 ** 53
case("VIEW_T_I64", VX.t().contiguous())
case("VIEW_NARROW_I64", VX.narrow(1, 1, 2).contiguous())
case("VIEW_EXPAND_I64", VX[:, :1].expand(3, 3).contiguous())
VB = torch.tensor([[True, False, False], [False, True, True]])
case("VIEW_T_BOOL", VB.t().contiguous())
case("VIEW_NARROW_BOOL", VB.narrow(1, 1, 2).contiguous())
case("VIEW_EXPAND_BOOL", VB[0].unsqueeze(0).expand(2, 3).contiguous())
case("VIEW_T_SUM_BOOL", VB.t().sum(1))
case("VIEW_T_ADD_I64", VX.t() + VX.t())

# ------------------------------------------------------------------------------------------ known differences
# PyTorch's answers for the cases where Frelon was found to differ (DTypeTest.knownDifferencesFromPyTorch).

case("ADD_INPLACE_I64", torch.tensor([2 ** 24 + 1, 2 ** 53 + 1], dtype=I64).add_(torch.tensor([1, 1], dtype=I64)))
case("ADD_INPLACE_I64_ALPHA_2", torch.tensor([2 ** 53 + 1], dtype=I64).add_(torch.tensor([1], dtype=I64), alpha=2))
case("MUL_INPLACE_I64_BY_2", torch.tensor([2 ** 40 + 1], dtype=I64).mul_(2))
for name, f in [("add_(int64, float32)", lambda: torch.tensor([5]).add_(torch.tensor([1.5]))),
                ("mul_(int64, 0.5)", lambda: torch.tensor([5]).mul_(0.5)),
                ("index_add(int64, float32)", lambda: torch.zeros(3, dtype=I64).index_add(
                    0, torch.tensor([0]), torch.tensor([1.5]))),
                ("abs(bool)", lambda: torch.abs(torch.tensor([True]))),
                ("relu(bool)", lambda: torch.relu(torch.tensor([True])))]:
    try:
        f()
        raise SystemExit(name + " should fail")
    except RuntimeError as e:
        emit("    // torch %s: %s" % (name, e))
emit("    // torch.allclose(tensor([2**53]), tensor([2**53 + 1]), rtol=0, atol=0) = %s"
     % torch.allclose(torch.tensor([2 ** 53]), torch.tensor([2 ** 53 + 1]), rtol=0, atol=0))
case("SIGN_BOOL", torch.sign(torch.tensor([True, False])))
case("LOGSUMEXP_I64", torch.logsumexp(torch.tensor([1, 2], dtype=I64), 0))
case("CLAMP_I64_INT_BOUNDS", torch.clamp(torch.tensor([2 ** 53 + 1, -3], dtype=I64), 0, 2 ** 60))
emit("    static final String STR_I64_EMPTY = \"%s\";" % torch.zeros(0, dtype=I64))
emit("    static final String STR_BOOL_EMPTY = \"%s\";" % torch.zeros(0, dtype=torch.bool))

print("    // ---------------------------------------- BEGIN GENERATED by dtype_cases.py with PyTorch "
      + torch.__version__)
print("\n".join(OUT))
print("    // ---------------------------------------- END GENERATED")
