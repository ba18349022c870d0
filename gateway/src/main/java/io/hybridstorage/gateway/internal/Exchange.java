package io.hybridstorage.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * One HTTP request and its response as the API handler sees them, whoever carries them: a
 * connection of the server, or one part of a {@code /batch/storage/v1} body.
 */
interface Exchange {

  /** The request method as sent (the handler applies {@code X-HTTP-Method-Override} on POST). */
  String method();

  /** The path as sent, still percent-encoded. */
  String rawPath();

  /** The query as sent, still percent-encoded; null: none. */
  @Nullable
  String rawQuery();

  @Nullable
  String header(String name);

  /** The names of the request's headers. */
  java.util.Collection<String> headerNames();

  /** The request body as received (no content decoding); read at most once. */
  InputStream body() throws IOException;

  /** The declared body length; -1: not declared (chunked, or none). */
  long contentLength();

  /** {@code scheme://host[:port]} as the client addressed this server (its Host header). */
  String origin();

  /** The client's address, for the access log. */
  String remote();

  /** Whether this is a request of a batch (no own connection: no Host check, no nested batch). */
  boolean inner();

  /**
   * Sends the status and headers and returns the body stream ({@code length} bytes; -1: not
   * known up front). Closing the stream ends the response.
   */
  OutputStream respond(int status, Map<String, String> headers, long length) throws IOException;

  /**
   * Reads and drops what is left of the request body, up to {@code limit} bytes, before the
   * response starts: a server that answers while body bytes are still unread must close the
   * connection, and a client that pooled it then fails its next call.
   */
  default void drain(long limit) {}

  /** Whether the status line has been sent (an error can no longer be answered, only cut off). */
  boolean committed();
}
