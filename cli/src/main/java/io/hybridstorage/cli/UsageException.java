package io.hybridstorage.cli;

/** A command given something it cannot work with (a bad URL, a command the configuration cannot serve): exit 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
