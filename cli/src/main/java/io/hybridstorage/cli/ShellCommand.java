package io.hybridstorage.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code shell}: runs the commands read from standard input, one per line ({@code #} starts a
 * comment; arguments split on blanks, {@code '…'} and {@code "…"} quote), all over one opened
 * world — so an in-memory world lives from the first line to the last, and a remote one is
 * connected once. Each line is echoed as {@code $ line} before its output; a failing line does not
 * stop the script. Exit code: the highest of the lines' (a usage error in a line counts as 2).
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = "Runs commands read from standard input (one per line) over one opened world; "
        + "exit code: the highest of theirs.")
final class ShellCommand extends WorldCommand {

  @Override
  int run(World world) throws Exception {
    int worst = Exits.OK;
    BufferedReader reader = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      out().println("$ " + trimmed);
      out().flush();
      int exit;
      try {
        List<String> args = split(trimmed);
        if (!args.isEmpty() && args.get(0).equals("shell")) {
          throw new UsageException("shell cannot run inside shell");
        }
        picocli.CommandLine command = cli.forScript(world).commandLine();
        exit = command.execute(args.toArray(String[]::new));
        command.getOut().flush();
        command.getErr().flush();
      } catch (UsageException e) {
        err().println("shell: " + e.getMessage());
        exit = Exits.USAGE;
      }
      worst = Math.max(worst, exit);
    }
    return worst;
  }

  /** Splits a line on blanks; single and double quotes group (no escapes inside single quotes). */
  static List<String> split(String line) {
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inArgument = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          current.append(line.charAt(++i));
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inArgument = true;
      } else if (Character.isWhitespace(c)) {
        if (inArgument) {
          args.add(current.toString());
          current.setLength(0);
          inArgument = false;
        }
      } else {
        current.append(c);
        inArgument = true;
      }
    }
    if (quote != 0) {
      throw new UsageException("unclosed " + quote + " in: " + line);
    }
    if (inArgument) {
      args.add(current.toString());
    }
    return args;
  }
}
