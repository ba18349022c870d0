package io.hybridstorage.cli;

/**
 * The configured world cannot be opened because of what the configuration says (a site's settings
 * its provider refuses, a kind with no provider on the class path): exit 2, without the usage.
 */
final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
