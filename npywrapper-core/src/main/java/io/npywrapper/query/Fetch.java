package io.npywrapper.query;

import io.npywrapper.collection.Row;
import io.npywrapper.collection.Selection;
import io.npywrapper.search.TopK;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the candidates of a query into {@link Hit}s: drops the first {@code offset}, then reads the
 * selected attributes and, when asked, the vector of each remaining row. Only the rows returned are
 * read. Not thread-safe; one per query.
 */
final class Fetch {
  private final Selection sel;
  private final List<String> select;
  private final boolean withVectors;
  private final int dim;

  Fetch(Selection sel, List<String> select, boolean withVectors, int dim) {
    this.sel = sel;
    this.select = select;
    this.withVectors = withVectors;
    this.dim = dim;
  }

  List<List<Hit>> hits(List<List<TopK.Candidate>> lists, int offset, boolean withDistances)
      throws IOException {
    List<List<Hit>> out = new ArrayList<>(lists.size());
    for (List<TopK.Candidate> list : lists) {
      List<Hit> hits = new ArrayList<>(Math.max(0, list.size() - offset));
      for (int i = offset; i < list.size(); i++) {
        TopK.Candidate c = list.get(i);
        hits.add(
            new Hit(
                c.id(),
                withDistances ? c.distance() : Float.NaN,
                attributes(c),
                withVectors ? vector(c) : null));
      }
      out.add(Collections.unmodifiableList(hits));
    }
    return Collections.unmodifiableList(out);
  }

  private Map<String, Object> attributes(TopK.Candidate c) throws IOException {
    if (select.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> all =
        c.source() < 0 ? memRow(c).attributes() : sel.attributes(c.source(), c.row());
    Map<String, Object> picked = new LinkedHashMap<>();
    for (String a : select) {
      picked.put(a, all.get(a));
    }
    return Collections.unmodifiableMap(picked);
  }

  private float[] vector(TopK.Candidate c) throws IOException {
    if (c.source() < 0) {
      return memRow(c).vector().clone();
    }
    float[] v = new float[dim];
    sel.vectors(c.source()).readRow(c.row(), v, 0);
    return v;
  }

  private Row memRow(TopK.Candidate c) {
    return sel.memRows().get((int) c.row());
  }
}
