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
    try (World world = cli.openWorld()) {
      return run(world);
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
