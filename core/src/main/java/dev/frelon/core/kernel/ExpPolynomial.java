package dev.frelon.core.kernel;

/**
 * The constants of the vector kernels' exp, shared by the softmax and the elementwise kernels so that both
 * compute the same values: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite), e^r by Cephes' expf polynomial, 2^n built
 * in the exponent bits. Within 1 ulp of {@link Math#exp} over the float range.
 */
final class ExpPolynomial {
    private ExpPolynomial() {
    }

    /** exp(-104) rounds to 0 and exp(89) overflows: clamping there keeps n in [-150, 128]. */
    static final float EXP_LOW = -104f, EXP_HIGH = 89f;
    /** log2(e), to find n. */
    static final float LOG2E = 1.44269504f;
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    static final float MAGIC = 12582912f;
    /** MAGIC's bits, subtracted to read n from the sum's mantissa. */
    static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    /** ln 2 in two parts (Cody and Waite), so that x − n·ln2 keeps its digits. */
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** e^r ≈ 1 + r + r²·(E2 + E3·r + … + E7·r⁵) on |r| ≤ ln2/2 (Cephes' expf coefficients). */
    static final float E2 = 5.0000001201e-1f, E3 = 1.6666665459e-1f, E4 = 4.1665795894e-2f,
            E5 = 8.3334519073e-3f, E6 = 1.3981999507e-3f, E7 = 1.9875691500e-4f;
}
