package io.npywrapper.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One endpoint: method, path template such as {@code /v1/collections/{c}/rows/{id}}, what it
 * requires of the caller and its handler. Immutable and thread-safe.
 */
final class Route {
  private final String method;
  private final String template;
  private final Access access;
  private final Handler handler;
  private final List<String> segments;

  Route(String method, String template, Access access, Handler handler) {
    this.method = method;
    this.template = template;
    this.access = access;
    this.handler = handler;
    this.segments = split(template);
  }

  String method() {
    return method;
  }

  String template() {
    return template;
  }

  Access access() {
    return access;
  }

  Handler handler() {
    return handler;
  }

  /**
   * Matches a decoded path's segments against this template, filling {@code params}.
   *
   * @return whether the path matches
   */
  boolean match(List<String> path, Map<String, String> params) {
    if (segments.size() != path.size()) {
      return false;
    }
    for (int i = 0; i < segments.size(); i++) {
      String seg = segments.get(i);
      if (seg.startsWith("{")) {
        params.put(seg.substring(1, seg.length() - 1), path.get(i));
      } else if (!seg.equals(path.get(i))) {
        return false;
      }
    }
    return true;
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
