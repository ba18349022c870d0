package io.hybridstorage.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long run (verify, repair, a copy or removal of many objects): a bar on standard
 * error (me.tongfei:progressbar) when the CLI runs on a terminal, nothing otherwise ({@link #NONE}),
 * so piped and captured output holds no bar characters or ANSI sequences.
 */
interface Progress extends AutoCloseable {

  /** Shows nothing. */
  Progress NONE = new Progress() {
    @Override
    public void step(long done) {}

    @Override
    public void maxHint(long max) {}

    @Override
    public void close() {}
  };

  /** The width a bar is drawn in: a terminal narrower than this wraps it, which is only cosmetic. */
  int WIDTH = 100;

  /** {@code done} more units finished. */
  void step(long done);

  /** The total, once it is known (or a better guess); -1: unknown. */
  void maxHint(long max);

  @Override
  void close();

  /** A bar named {@code task} over {@code max} units (-1: unknown, an indeterminate bar) written to {@code err}. */
  static Progress bar(String task, long max, String unit, PrintStream err) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setUnit(" " + unit, 1)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis(200)
        .setConsumer(new ConsoleProgressBarConsumer(err, WIDTH))
        .build();
    return new Progress() {
      @Override
      public void step(long done) {
        bar.stepBy(done);
      }

      @Override
      public void maxHint(long max) {
        bar.maxHint(max);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
