package dev.frelon.core.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides, once per JVM, whether the Vector API (SIMD) kernels can run, and at which width; each kernel family then
 * picks its own implementation through {@link #choose}, in a constant of its interface
 * ({@link ElementwiseKernels#CHOSEN}, {@link GemmKernel#CHOSEN}, ...), so that a new family touches nothing here.
 *
 * <p>The Vector API path is available when the incubator module {@code jdk.incubator.vector} is readable, at the
 * platform's preferred width: 512 bits with AVX-512, 256 with AVX2, 128 with NEON or SSE. A family may still run
 * its plain-Java kernels on an instruction set where its vector kernels measured slower ({@link Isa}). The system
 * property {@code frelon.vector.bits} overrides the width: {@code 0} forces plain Java everywhere, {@code 128},
 * {@code 256} or {@code 512} force that width. When the module is missing, one line on standard error says so and
 * names the JVM flag that enables it ({@code --add-modules=jdk.incubator.vector}); {@code -Dfrelon.quiet=true}
 * silences it. The Vector API classes are loaded reflectively, so the library loads and computes correctly
 * without the module.
 */
public final class Kernels {

    /** The JVM flag that enables the SIMD kernels. */
    public static final String ENABLE_FLAG = "--add-modules=jdk.incubator.vector";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Why the plain kernels run everywhere, or null when the Vector API path is available. */
    private static final String PLAIN_REASON;
    private static final int VECTOR_BITS;
    /** Each family's Vector API class, recorded by {@link #choose}, for {@link #vectorImplementation}. */
    private static final Map<Class<?>, String> VECTOR_CLASSES = new ConcurrentHashMap<>();

    static {
        int requested = requestedBits();
        String reason = null;
        int bits = 0;
        if (requested == 0) {
            reason = "forced by -Dfrelon.vector.bits=0";
        } else if (!vectorModulePresent()) {
            reason = "jdk.incubator.vector is not enabled";
            notice("Frelon uses plain-Java kernels because the Vector API is not enabled; add the JVM flag "
                    + ENABLE_FLAG + " for the SIMD kernels.");
        } else {
            try {
                bits = (Integer) Class.forName(Kernels.class.getPackageName() + ".VectorWidthProbe")
                        .getMethod("bits").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                reason = "the Vector API failed to load: " + e;
                notice("Frelon uses plain-Java kernels because the Vector API failed to load (" + e + ").");
            }
        }
        PLAIN_REASON = reason;
        VECTOR_BITS = reason == null ? bits : 0;
    }

    private Kernels() {
    }

    /**
     * A kernel family's implementation for this JVM: its Vector API class when that path is available and
     * {@code vectorWins} holds for this instruction set, else the plain one. Called once per family, from the
     * constant that holds its choice.
     *
     * @param family the kernel interface
     * @param vectorClass simple name of its Vector API implementation in this package
     * @param plain makes the plain-Java implementation
     * @param vectorWins where the vector kernels beat the plain ones (measured), e.g. {@code isa -> isa.fma()}
     * @param <T> the kernel interface type
     * @return the implementation to use
     */
    public static <T> T choose(Class<T> family, String vectorClass, Supplier<T> plain, Predicate<Isa> vectorWins) {
        VECTOR_CLASSES.put(family, vectorClass);
        if (VECTOR_BITS == 0 || !vectorWins.test(Isa.current())) {
            return plain.get();
        }
        return family.cast(instantiate(vectorClass));
    }

    /**
     * Whether the Vector API path is available and enabled in this JVM; decided once, when this class is
     * initialised.
     *
     * @return true when the Vector API path is in use (some families may still run plain kernels, see {@link #choose})
     */
    public static boolean isVectorized() {
        return VECTOR_BITS > 0;
    }

    /**
     * The SIMD width the vector kernels use: the platform's preferred width, or the one forced by
     * {@code frelon.vector.bits}.
     *
     * @return the SIMD width in bits, or 0 on the plain-Java path
     */
    public static int vectorBits() {
        return VECTOR_BITS;
    }

    /**
     * Describes the chosen kernel path (with the reason when it is plain Java) and {@link Isa#describe()}, for
     * logs and benchmark reports.
     *
     * @return a one-line description of the chosen path and the instruction set, e.g.
     *         {@code "Vector API, 512-bit (16 floats); x86 AVX-512, FMA, 32 vector registers"}
     */
    public static String description() {
        String isa = Isa.current().describe();
        return VECTOR_BITS > 0
                ? "Vector API, " + VECTOR_BITS + "-bit (" + VECTOR_BITS / 32 + " floats); " + isa
                : "plain Java (" + PLAIN_REASON + "); " + isa;
    }

    /**
     * Whether the incubator module is in the boot layer, i.e. the JVM was started with {@link #ENABLE_FLAG}.
     *
     * @return true when {@code jdk.incubator.vector} is readable by this JVM
     */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * The Vector API implementation of one kernel family, whatever this JVM chose, for tests and benchmarks that
     * compare it with the plain twin.
     *
     * @param family the kernel interface
     * @param <T> the kernel interface type
     * @return a new instance of its Vector API implementation
     * @throws IllegalStateException when the incubator module is not readable
     * @throws IllegalArgumentException when the family has no Vector API implementation
     */
    public static <T> T vectorImplementation(Class<T> family) {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("Vector API kernels need the JVM flag " + ENABLE_FLAG);
        }
        try {
            Class.forName(family.getName(), true, family.getClassLoader()); // its constant records the class name
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("cannot initialise " + family.getName(), e);
        }
        String name = VECTOR_CLASSES.get(family);
        if (name == null) {
            throw new IllegalArgumentException("no Vector API implementation of " + family.getName());
        }
        return family.cast(instantiate(name));
    }

    /** Width asked for by {@code frelon.vector.bits}: -1 when unset (automatic). */
    static int requestedBits() {
        String p = System.getProperty("frelon.vector.bits");
        if (p == null || p.isBlank()) {
            return -1;
        }
        try {
            int bits = Integer.parseInt(p.trim());
            if (bits == 0 || bits == 128 || bits == 256 || bits == 512) {
                return bits;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("frelon.vector.bits must be 0, 128, 256 or 512, got '" + p + "'");
    }

    private static Object instantiate(String simpleName) {
        try {
            var ctor = Class.forName(Kernels.class.getPackageName() + "." + simpleName).getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load kernel class " + simpleName, e);
        }
    }

    private static void notice(String line) {
        if (!Boolean.getBoolean("frelon.quiet")) {
            System.err.println("[frelon] " + line);
        }
    }
}
