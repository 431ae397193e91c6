package io.npywrapper.server;

/** Answers one route's requests. Implementations are thread-safe: many requests run at once. */
@FunctionalInterface
interface Handler {
  Response handle(Request request) throws Exception;
}
