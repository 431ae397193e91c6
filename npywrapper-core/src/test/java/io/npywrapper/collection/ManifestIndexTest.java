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
  private static Manifest manifest(IndexRef index) {
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
    IndexRef ix =
        IndexRef.of(
            new FileRef("segments/seg-1/index-19b0a1c2d3e-0000abcd.hnsw", 4_321, 0xCAFEBABE));
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
  void int8IndexRoundTripsWithItsCodesAndParams() throws Exception {
    String stem = "segments/seg-1/index-19b0a1c2d3e-0000abcd";
    IndexRef ix =
        new IndexRef(
            new FileRef(stem + ".hnsw", 4_321, 0xCAFEBABE),
            new FileRef(stem + ".i8.npy", 20_128, 0x01020304),
            new FileRef(stem + ".i8.params", 60, 0x0A0B0C0D));
    String json = manifest(ix).toJsonString();
    IndexRef back =
        Manifest.parse(json.getBytes(StandardCharsets.UTF_8), "int8").segments().getFirst().index();
    assertEquals(ix, back);
    assertEquals(IndexQuantization.INT8, back.quantization());
    assertEquals(3, back.files().size());
    String unknown = json.replace("\"quantization\" : \"int8\"", "\"quantization\" : \"pq\"");
    assertNull(
        Manifest.parse(unknown.getBytes(StandardCharsets.UTF_8), "pq")
            .segments()
            .getFirst()
            .index(),
        "an index of a quantization this build does not know is ignored (and rebuilt)");
    String noCodes = json.replace("\"codes\"", "\"kodes\"");
    assertThrows(
        CorruptFileException.class,
        () -> Manifest.parse(noCodes.getBytes(StandardCharsets.UTF_8), "no codes"));
    assertEquals(
        0x19b0a1c2d3eL, Vacuum.createdAt(stem + ".i8.params"), "codes dated by the index stamp");
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
