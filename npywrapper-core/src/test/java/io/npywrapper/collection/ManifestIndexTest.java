package io.npywrapper.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.npywrapper.search.Metric;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A segment's graph index in the manifest: round trip, absent (older manifests), unknown kind. */
class ManifestIndexTest {
  private static Manifest manifest(FileRef index) {
    SegmentRef seg =
        new SegmentRef(
            "seg-1",
            20_000,
            Map.of("vectors.npy", new FileRef("segments/seg-1/vectors.npy", 80_128, 0x1234)),
            null,
            0,
            0L,
            19_999L,
            true,
            null,
            Map.of(),
            index);
    return new Manifest(
        3,
        Manifest.newCommitId(),
        System.currentTimeMillis(),
        "add_index",
        CollectionSpec.of("c", 1, Metric.L2),
        Map.of(),
        List.of(seg),
        Map.of(),
        20_000);
  }

  @Test
  void indexRoundTripsAndOlderManifestsHaveNone() throws Exception {
    FileRef ix = new FileRef("segments/seg-1/index-19b0a1c2d3e-0000abcd.hnsw", 4_321, 0xCAFEBABE);
    Manifest m = manifest(ix);
    String json = m.toJsonString();
    assertEquals(ix, Manifest.parse(m.toJson(), "test").segments().getFirst().index());
    String old = manifest(null).toJsonString();
    assertNull(
        Manifest.parse(old.getBytes(StandardCharsets.UTF_8), "old").segments().getFirst().index());
    String otherKind = json.replace("\"kind\" : \"hnsw\"", "\"kind\" : \"ivf\"");
    assertNull(
        Manifest.parse(otherKind.getBytes(StandardCharsets.UTF_8), "kind")
            .segments()
            .getFirst()
            .index(),
        "an index of a kind this build does not know is ignored (and rebuilt)");
    String escaping = json.replace("segments/seg-1/index-", "../index-");
    assertThrows(
        CorruptFileException.class,
        () -> Manifest.parse(escaping.getBytes(StandardCharsets.UTF_8), "escape"));
  }

  @Test
  void vacuumDatesAnIndexFileByItsOwnStamp() {
    long millis = 0x19b0a1c2d3eL;
    assertEquals(
        millis,
        Vacuum.createdAt("segments/seg-00000000001-00000000/index-19b0a1c2d3e-0000abcd.hnsw"));
    assertEquals(1L, Vacuum.createdAt("segments/seg-00000000001-00000000/vectors.npy"));
  }
}
