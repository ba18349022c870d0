package io.hybridstorage.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that runs against the configured world: opens it, runs, closes it, returns the exit code. */
abstract class WorldCommand implements Callable<Integer> {

  @ParentCommand HybridStorageCli cli;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (World world = open()) {
      return run(world);
    }
  }

  /**
   * Opens the world; a site's provider refusing its settings (or a missing provider) is a
   * configuration error, exit 2, unless a site could not be reached while opening (exit 3).
   */
  private World open() {
    try {
      return cli.openWorld();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (e instanceof io.hybridstorage.api.HybridStorageConfigException || Exits.of(e) == Exits.UNREACHABLE) {
        throw e;
      }
      throw new ConfigurationException("cannot open the configured world: " + e.getMessage(), e);
    }
  }

  abstract int run(World world) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
