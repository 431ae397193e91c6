package io.npywrapper.security;

import io.npywrapper.store.BlobStore;
import io.npywrapper.store.BlobStores;
import java.util.List;
import java.util.Optional;

/**
 * A second process for {@link SecurityProcessesTest}: waits for "go" on stdin, then creates {@code
 * count} users named {@code <prefix>-<i>}, each with a key, and prints "done". An optional fourth
 * argument is how many security versions to keep.
 */
public final class SecurityChild {
  private SecurityChild() {}

  public static void main(String[] args) throws Exception {
    String store = args[0];
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    int keep = args.length > 3 ? Integer.parseInt(args[3]) : StateStore.KEEP_VERSIONS;
    try (BlobStore s = BlobStores.open(store);
        Security sec = Security.open(s, java.time.Clock.systemUTC(), keep)) {
      System.out.println("ready");
      System.out.flush();
      if (!"go"
          .equals(
              new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine())) {
        return;
      }
      Principal owner = Principal.owner("child-" + prefix);
      for (int i = 0; i < count; i++) {
        sec.createUser(owner, prefix + "-" + i, List.of("reader"));
        sec.createKey(owner, prefix + "-" + i, Optional.empty());
      }
    }
    System.out.println("done");
  }
}
