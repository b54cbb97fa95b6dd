package dev.frelon.core.kernel;

/** Reports the width the Vector API kernels will use; called reflectively by {@link Kernels}. */
final class VectorWidthProbe {
    private VectorWidthProbe() {
    }

    /** @return the SIMD width in bits of {@link VectorWidth#SPECIES} */
    public static int bits() {
        return VectorWidth.SPECIES.vectorBitSize();
    }
}
