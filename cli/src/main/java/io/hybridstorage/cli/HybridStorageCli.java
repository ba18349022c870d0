package io.hybridstorage.cli;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.HybridStorageOptions;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import javax.annotation.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code java -jar hybrid-storage-cli.jar [--config FILE] COMMAND …}: the operator's command line
 * over the world the SDK's configuration file describes (the same YAML as {@code
 * HybridStorageOptions}; without {@code --config}, {@code HYBRID_STORAGE_CONFIG} or {@code
 * -Dhybrid.storage.config}, else the embedded in-memory three-site world).
 *
 * <p>Commands: {@code status}, {@code ls}, {@code stat}, {@code cat}, {@code cp}, {@code rm},
 * {@code mb}, {@code verify}, {@code repair}, {@code replay}, {@code sites}, and {@code shell}
 * (several commands, one per line of standard input, over one opened world) (README, "CLI"). Exit
 * codes: 0 clean, 1 differences found or the call refused (404, 412…), 2 usage, 3 a site or an
 * endpoint unreachable. Each run opens the world anew and closes it at the end: with {@code memory}
 * sites that world is empty at every start, so the in-memory default serves to try the commands,
 * and real sites (and a {@code journalDirectory}) to operate.
 */
@Command(name = "hybrid-storage", mixinStandardHelpOptions = true, version = "hybrid-storage-cli 0.1.0",
    description = "Operates a hybrid storage world: status, objects (ls, stat, cat, cp, rm, mb), verify/repair, "
        + "replay, sites; shell runs several over one world.",
    subcommands = {StatusCommand.class, LsCommand.class, StatCommand.class, CatCommand.class, CpCommand.class,
        RmCommand.class, MbCommand.class, VerifyCommand.class, RepairCommand.class, ReplayCommand.class,
        SitesCommand.class, ShellCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done; nothing differs",
        "1:differences found (verify, repair, sites) or the call was refused (404, 409, 412, 403, 501)",
        "2:usage: bad options or arguments, a bad configuration file",
        "3:a site or a configured endpoint cannot be reached (503, breaker open, connection refused)"})
public final class HybridStorageCli {

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "the SDK's YAML configuration (default: HYBRID_STORAGE_CONFIG or -Dhybrid.storage.config, "
          + "else the embedded in-memory three-site world)")
  @Nullable Path config;

  @Option(names = "--no-progress", scope = ScopeType.INHERIT,
      description = "no progress bar, even on a terminal (never one when output is not a terminal)")
  boolean noProgress;

  private final Function<HybridStorageOptions, World> opener;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  /** The CLI of {@link #main}: the configured world, standard output and error, bars on a terminal only. */
  public HybridStorageCli() {
    this(World::open, System.in, System.out, System.err, onTerminal());
  }

  /**
   * Whether this process talks to a terminal: {@code System.console()} is null when standard input
   * or output is redirected (Java 17 to 21); from Java 22 on it may exist anyway, and {@code
   * Console.isTerminal()} tells.
   */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22: a console exists only on a terminal
    }
  }

  HybridStorageCli(Function<HybridStorageOptions, World> opener, PrintStream out, PrintStream err,
      boolean terminal) {
    this(opener, InputStream.nullInputStream(), out, err, terminal);
  }

  HybridStorageCli(Function<HybridStorageOptions, World> opener, InputStream in, PrintStream out, PrintStream err,
      boolean terminal) {
    this.opener = requireNonNull(opener, "opener");
    this.in = requireNonNull(in, "in");
    this.out = requireNonNull(out, "out");
    this.err = requireNonNull(err, "err");
    this.terminal = terminal;
  }

  /** This CLI's command line, writing to its streams, with its exit codes for failures. */
  CommandLine commandLine() {
    CommandLine cmd = new CommandLine(this);
    cmd.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cmd.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cmd.setParameterExceptionHandler((failure, args) -> {
      CommandLine command = failure.getCommandLine();
      PrintWriter e = command.getErr();
      e.println(failure.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(failure, e);
      command.usage(e); // always the usage, also after suggestions (picocli's default shows one or the other)
      e.flush();
      return Exits.USAGE;
    });
    cmd.setExecutionExceptionHandler((failure, command, parsed) -> {
      command.getOut().flush();
      PrintWriter e = command.getErr();
      e.println(command.getCommandName() + ": " + describe(failure));
      if (failure instanceof UsageException) {
        command.usage(e);
      }
      e.flush();
      return Exits.of(failure);
    });
    return cmd;
  }

  /** Runs {@code args} and returns the exit code. */
  int run(String... args) {
    return commandLine().execute(args);
  }

  /** Runs one command (or {@code shell}) and exits the process with its exit code. */
  public static void main(String[] args) {
    System.exit(new HybridStorageCli().run(args));
  }

  /** The world of the configuration, opened for one command. */
  World openWorld() {
    HybridStorageOptions options = config != null ? HybridStorageOptions.fromFile(config)
        : HybridStorageOptions.fromEnvironment();
    return opener.apply(options);
  }

  /** Where the configuration came from, for {@code status}. */
  String configurationSource() {
    if (config != null) {
      return config.toAbsolutePath().toString();
    }
    String property = System.getProperty("hybrid.storage.config");
    if (property != null) {
      return property + " (-Dhybrid.storage.config)";
    }
    String variable = System.getenv("HYBRID_STORAGE_CONFIG");
    if (variable != null) {
      return variable + " (HYBRID_STORAGE_CONFIG)";
    }
    return "embedded in-memory three-site world (no --config, HYBRID_STORAGE_CONFIG unset)";
  }

  PrintStream rawOut() {
    return out;
  }

  InputStream in() {
    return in;
  }

  /**
   * A CLI for one command of a {@code shell} script: the same streams, terminal and configuration,
   * over {@code world} (borrowed: the shell closes it at the end).
   */
  HybridStorageCli forScript(World world) {
    HybridStorageCli nested = new HybridStorageCli(options -> world.borrowed(), in, out, err, terminal);
    nested.config = config;
    nested.noProgress = noProgress;
    return nested;
  }

  /** A progress bar on standard error when running on a terminal (and not {@code --no-progress}); else none. */
  Progress progress(String task, long max, String unit) {
    return terminal && !noProgress ? Progress.bar(task, max, unit, err) : Progress.NONE;
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }
}
