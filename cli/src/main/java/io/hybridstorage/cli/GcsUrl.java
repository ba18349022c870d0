package io.hybridstorage.cli;

/**
 * A {@code gs://bucket[/name]} argument: the bucket, and the object name or prefix after the first
 * {@code /} (empty for the whole bucket). {@link #parse} refuses anything else with a usage error.
 */
record GcsUrl(String bucket, String name) {

  static final String SCHEME = "gs://";

  static boolean isGcs(String argument) {
    return argument.startsWith(SCHEME);
  }

  /**
   * @throws UsageException naming the argument when it is not {@code gs://bucket[/…]}
   */
  static GcsUrl parse(String argument) {
    if (!isGcs(argument)) {
      throw new UsageException("'" + argument + "' is not a gs://bucket[/object] URL");
    }
    String rest = argument.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String name = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new UsageException("'" + argument + "' names no bucket: write gs://bucket[/object]");
    }
    return new GcsUrl(bucket, name);
  }

  /**
   * Like {@link #parse}, and the URL must name an object (not a bucket or a folder ending in {@code /}).
   */
  static GcsUrl parseObject(String argument) {
    GcsUrl url = parse(argument);
    if (url.name.isEmpty() || url.name.endsWith("/")) {
      throw new UsageException("'" + argument + "' names no object: write gs://bucket/object");
    }
    return url;
  }

  static String of(String bucket, String name) {
    return SCHEME + bucket + "/" + name;
  }

  @Override
  public String toString() {
    return of(bucket, name);
  }
}
