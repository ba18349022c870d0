package io.hybridstorage.cli;

import picocli.CommandLine.Command;

/** {@code verify gs://bucket[/prefix]}: compares every replica with the authority; exit 1 when anything differs. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Compares each object's replicas with its authority (missing, stale, corrupted, extra…); "
        + "exit 1 when anything differs.")
final class VerifyCommand extends CheckCommand {
  @Override
  boolean repairs() {
    return false;
  }
}
