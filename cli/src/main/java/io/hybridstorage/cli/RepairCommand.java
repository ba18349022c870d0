package io.hybridstorage.cli;

import picocli.CommandLine.Command;

/**
 * {@code repair gs://bucket[/prefix]}: verify, and roll every difference older than the repair
 * horizon forward; exit 1 when some are left (pending, or refused).
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Verifies and repairs (rolls forward, never back) what is older than routing.repairHorizon; "
        + "exit 1 when differences are left.")
final class RepairCommand extends CheckCommand {
  @Override
  boolean repairs() {
    return true;
  }
}
