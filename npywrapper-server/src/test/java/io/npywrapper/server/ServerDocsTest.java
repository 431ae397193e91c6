package io.npywrapper.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/SERVER.md keeps up with the router: every route has a row in the endpoints table and a
 * {@code curl} call in the example session, and every example calls a route that exists.
 */
class ServerDocsTest {
  private static final Pattern CURL =
      Pattern.compile("^\\$ curl .*?localhost:\\d+(/[^\\s'\"?]*)", Pattern.MULTILINE);
  private static final Pattern METHOD = Pattern.compile(" -X ([A-Z]+) ");
  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\| `([A-Z]+) (/[^`\\[ ]*)", Pattern.MULTILINE);

  record Call(String method, List<String> path, String line) {}

  @Test
  void everyRouteIsInTheTableAndHasAnExample() throws IOException {
    String doc = Files.readString(serverMd(), StandardCharsets.UTF_8);
    Set<String> tabled = new TreeSet<>();
    Matcher t = TABLE_ROW.matcher(doc);
    while (t.find()) {
      tabled.add(t.group(1) + " " + t.group(2));
    }
    List<Call> calls = new ArrayList<>();
    Matcher c = CURL.matcher(doc);
    while (c.find()) {
      String line = doc.substring(c.start(), doc.indexOf('\n', c.start()));
      Matcher m = METHOD.matcher(line);
      calls.add(new Call(m.find() ? m.group(1) : "GET", Route.split(c.group(1)), line));
    }
    List<Route> routes = NpywServer.routes(null, null, Limits.DEFAULT, new HttpMetrics()).routes();
    Set<String> missingRows = new TreeSet<>();
    Set<String> missingExamples = new TreeSet<>();
    for (Route r : routes) {
      String name = r.method() + " " + r.template();
      if (!tabled.contains(name)) {
        missingRows.add(name);
      }
      if (calls.stream().noneMatch(call -> calls(call, r))) {
        missingExamples.add(name);
      }
    }
    assertTrue(missingRows.isEmpty(), "routes without a row in docs/SERVER.md: " + missingRows);
    assertTrue(
        missingExamples.isEmpty(),
        "routes without a curl example in docs/SERVER.md: " + missingExamples);
    for (Call call : calls) {
      assertTrue(
          routes.stream().anyMatch(r -> calls(call, r)),
          "docs/SERVER.md calls a route the server does not have: " + call.line());
    }
    assertTrue(
        tabled.size() >= routes.size() && calls.size() >= routes.size(),
        "parsed " + tabled.size() + " rows and " + calls.size() + " examples");
  }

  private static boolean calls(Call call, Route r) {
    return r.method().equals(call.method()) && r.match(call.path(), new HashMap<>());
  }

  private static Path serverMd() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("docs/SERVER.md");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AssertionError("docs/SERVER.md not found above " + Path.of("").toAbsolutePath());
  }
}
