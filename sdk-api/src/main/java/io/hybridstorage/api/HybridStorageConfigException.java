package io.hybridstorage.api;

import java.util.List;

/**
 * The hybrid storage configuration is wrong. The message names where it came from (the YAML file
 * and the variable or property that named it, or the override), each offending key, and what to
 * change; {@link #problems()} lists the same lines one by one.
 *
 * <p>It is an {@link IllegalArgumentException}: a caller mistake, found before any site is
 * contacted.
 */
public final class HybridStorageConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> problems;

  /**
   * {@code problems} of the configuration read from {@code source} (a file, a variable): for
   * components that read a section of their own ({@link HybridStorageOptions#gateway()}).
   */
  public HybridStorageConfigException(String source, List<String> problems) {
    super("invalid hybrid storage configuration " + source + ":\n  - " + String.join("\n  - ", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Where the configuration came from, e.g. {@code /etc/hybrid.yaml (HYBRID_STORAGE_CONFIG)}. */
  public String source() {
    return source;
  }

  /** One line per problem, each starting with the key it concerns. */
  public List<String> problems() {
    return problems;
  }
}
