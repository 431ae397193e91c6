package io.npywrapper.search;

/**
 * Chooses the {@link VectorKernels} once: the Vector API ones when the {@code jdk.incubator.vector}
 * module is in the boot layer (the {@code npyw} launcher and the tests add it), else the scalar
 * ones. The class holding the Vector API code is only loaded after the module was found, so a JVM
 * without it never links against it.
 */
final class KernelProvider {
  private static final System.Logger LOG = System.getLogger(VectorKernels.class.getName());

  static final VectorKernels SIMD = loadSimd();
  static final VectorKernels CHOSEN = choose();

  private KernelProvider() {}

  private static VectorKernels loadSimd() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (VectorKernels)
          Class.forName("io.npywrapper.search.PanamaKernels")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "Vector API present but unusable: " + e);
      return null;
    }
  }

  private static VectorKernels choose() {
    VectorKernels k = SIMD != null ? SIMD : ScalarKernels.INSTANCE;
    LOG.log(
        System.Logger.Level.INFO,
        SIMD != null
            ? "vector kernels: " + k.name() + " (" + PanamaKernels.describe() + ")"
            : "vector kernels: scalar (jdk.incubator.vector not available; run with"
                + " --add-modules jdk.incubator.vector for SIMD)");
    return k;
  }
}
