package io.hybridstorage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** The {@code --json} reports: one pretty-printed JSON document on standard output (Jackson). */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  static void print(PrintWriter out, Object report) {
    try {
      out.println(MAPPER.writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the JSON report", e);
    }
    out.flush();
  }
}
